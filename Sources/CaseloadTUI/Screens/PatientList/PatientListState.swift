import CaseloadCore
import Foundation

/// Which statuses the patient list shows.
public enum StatusFilter: Sendable, Hashable {
    /// Referred, contacted or active: the live caseload.
    case open
    case all
    case only(PatientStatus)

    public var label: String {
        switch self {
        case .open: return "open cases"
        case .all: return "all statuses"
        case .only(let s): return s.label
        }
    }

    /// open → all → each status → open.
    public var next: StatusFilter {
        switch self {
        case .open: return .all
        case .all: return .only(PatientStatus.allCases[0])
        case .only(let s):
            let all = PatientStatus.allCases
            let i = all.firstIndex(of: s)!
            return i + 1 < all.count ? .only(all[i + 1]) : .open
        }
    }

    func includes(_ s: PatientStatus) -> Bool {
        switch self {
        case .open: return s.isOpen
        case .all: return true
        case .only(let x): return x == s
        }
    }
}

/// How the patient list is ordered.
public enum PatientSort: String, Sendable, Hashable, CaseIterable, Codable {
    case name, nextFollowup, lastContact, status

    public var label: String {
        switch self {
        case .name: return "name"
        case .nextFollowup: return "next follow-up"
        case .lastContact: return "last contact"
        case .status: return "status"
        }
    }

    public var next: PatientSort {
        let all = PatientSort.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// How the list is shown that outlasts a run (`w` and `o`): the runtime keeps it in the data
/// folder's `view.json` and gives it back at the next start.
public struct ListView: Sendable, Hashable, Codable {
    /// A worker id, or nil for everyone.
    public var worker: String?
    public var sort: PatientSort

    public init(worker: String?, sort: PatientSort) {
        self.worker = worker
        self.sort = sort
    }
}

/// The home screen's filter, sort and selection. `rows` is recomputed whenever the filter
/// or the caseload changes, so drawing never filters 10,000 patients.
public struct PatientListState: Sendable {
    public var filter = TextInput()
    public var isFiltering = false
    public var status: StatusFilter = .open
    /// Only this worker's patients (nil: everyone's).
    public var worker: String?
    public var sort: PatientSort = .name
    public var selected = 0
    public var scroll = 0
    /// Patients shown, in order, after the filter.
    public var rows: [UUID] = []
    /// Restricted records, kept off the list: "1 restricted" on the filter line.
    public var restricted = 0
    /// Patients passing the status and worker filters, sorted: the filter narrows this list,
    /// so typing never re-sorts.
    public var ordered: [UUID] = [] {
        didSet { orderedKeys = nil }
    }
    /// The folded filter `rows` was computed for: a longer filter narrows `rows` itself.
    var appliedNeedle = ""
    /// Each of `ordered`'s and of `rows`'s search keys, position for position, looked up in
    /// the index once per list rather than once per person per key typed (the lookups were
    /// half of a key's time at 30,000 people). Nil until a filter is first typed.
    var orderedKeys: [PatientSearchIndex.Key?]?
    var rowKeys: [PatientSearchIndex.Key?] = []

    public init() {}
}
