import Foundation

// The entities' stored fields are declared in Schema/caseload.schema (generated into
// Generated/Schema+Types.swift, with their snapshot layout); what they compute is here.

extension Patient {
    public var displayName: String {
        if let e = erasure { return "(erased \(e.date))" }
        if let p = preferredName, !p.isEmpty, p != name { return "\(name) (\(p))" }
        return name
    }
}

extension Session {
    /// The current text: the latest version in fold order.
    public var note: String { versions.last?.text ?? "" }

    /// Versions amended from the same parent by different writers: both are kept, and the
    /// screen shows them so a person can reconcile. Empty when there is no conflict.
    public var conflictingVersions: [NoteVersion] {
        var children: [UUID: [NoteVersion]] = [:]
        for v in versions { if let p = v.basedOn { children[p, default: []].append(v) } }
        return children.values.filter { $0.count > 1 }.flatMap { $0 }.sorted { $0.clock < $1.clock }
    }

    /// "2 versions written at the same time on different devices", or nil.
    public var conflictNote: String? {
        let n = conflictingVersions.count
        return n > 1 ? "\(n) versions written at the same time on different devices" : nil
    }
}

extension Goal {
    public var latestProgress: Int? { progress.last?.score }
}

extension Measure {
    public var score: MeasureScore? { instrument.score(answers) }
}

extension Service {
    public var isListed: Bool { delistedOn == nil }
    /// Every field with a value, labelled, in the order `caseload service show` prints them.
    public var labelled: [(label: String, value: String)] {
        var out: [(String, String?)] = [("Service", name + (isListed ? "" : " (no longer listed since \(delistedOn!))")),
                                        ("Organisation", organisation), ("Category", category)]
        out += details.labelled.filter { $0.label == "About" }.map { ($0.label, $0.value) }
        out += [("When", times), ("Where", address)]
        out += details.labelled.filter { $0.label != "About" }.map { ($0.label, $0.value) }
        out += [("Contact", contact), ("Directory", source.map { s in s + (externalId.map { " (\($0))" } ?? "") }),
                ("Last modified", lastModified)]
        return out.compactMap { l, v in v.flatMap { $0.isEmpty ? nil : (l, $0) } }
    }

    /// Search by name, category, place, postcode, days or any detail (folded: accents and case ignored).
    public func matches(folded needle: String) -> Bool {
        labelled.contains { SearchText.fold($0.value).contains(needle) }
    }
}

extension Connection {
    public var isOpen: Bool { ![.completed, .droppedOut].contains(stage) }
}

extension Followup {
    public func isOverdue(asOf: Day) -> Bool { status == .open && due < asOf }
}

extension WorkerActivity {
    mutating func record(_ e: Event) {
        if e.clock > lastEvent { lastEvent = e.clock }
        if case .deviceSynced(let s) = e.body, lastSync.map({ $0 < e.clock }) ?? true {
            lastSync = e.clock
            lastSyncTarget = s.target
        }
    }
}
