import Foundation

/// The history of a person's details and consent: each correction with what it was before,
/// when and by whom. `caseload patient history` and the app's history screen (`H`) show it.
public enum DetailHistory {
    public struct Entry: Sendable, Hashable {
        /// "2026-12-02 10:14 UTC", from the event's clock.
        public var when: String
        public var who: String
        public var what: String
        public var undone: Bool
    }

    /// Oldest first. `events` may be every event of every journal: those about others are skipped.
    public static func entries(about patientId: UUID, in events: [Event], state: CaseloadState) -> [Entry] {
        let about = SubjectAccess.events(about: patientId, in: events)
        let undone = Set(about.compactMap { if case .changeUndone(let u) = $0.body { return u.eventId } else { return nil } })
        var current: [String: String] = [:]
        var consent: [ConsentKind: ConsentRecorded] = [:]
        var out: [Entry] = []
        for e in about {
            let what: String
            switch e.body {
            case .patientReferred(let b):
                let fields = values(name: b.name, preferredName: b.preferredName, nhs: b.nhsNumber, dob: b.dateOfBirth,
                                    phone: b.phone, address: b.address, gpPractice: b.gpPractice)
                for (k, v) in fields { current[k] = v }
                what = "referred with " + (fields.isEmpty ? "no details" : fields.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
            case .patientUpdated(let b):
                let fields = values(name: b.name, preferredName: b.preferredName, nhs: b.nhsNumber, dob: b.dateOfBirth,
                                    phone: b.phone, address: b.address, gpPractice: b.gpPractice)
                var parts: [String] = []
                for (k, v) in fields {
                    let before = current[k]
                    if !undone.contains(e.id) { current[k] = v.isEmpty ? nil : v }
                    if v.isEmpty { parts.append("\(k) cleared (was \(before ?? "empty"))") }
                    else if let before { parts.append("\(k) \(before) → \(v)") }
                    else { parts.append("\(k) \(v) (was empty)") }
                }
                if let w = b.worker { parts.append("worker now \(state.workers[w]?.name ?? w)") }
                guard !parts.isEmpty else { continue }
                what = parts.joined(separator: "; ")
            case .consentRecorded(let b):
                let before = consent[b.kind].map { " (was \($0.given ? "given" : "withdrawn") \($0.date))" } ?? ""
                if !undone.contains(e.id) { consent[b.kind] = b }
                what = "consent to \(b.kind.label) \(b.given ? "given" : "withdrawn") on \(b.date)\(before)"
            default:
                continue
            }
            out.append(Entry(when: SubjectAccess.timestamp(e.clock), who: state.workers[e.author]?.name ?? e.author, what: what,
                             undone: undone.contains(e.id)))
        }
        return out
    }

    /// One line an entry reads as.
    public static func line(_ e: Entry) -> String {
        "\(e.when)  \(e.who): \(e.what)\(e.undone ? " [later undone]" : "")"
    }

    /// The fields an event sets, in the order the person's screen shows them (addresses on one line).
    static func values(name: String?, preferredName: String?, nhs: NHSNumber?, dob: Day?, phone: String?, address: String?,
                       gpPractice: String?) -> [(String, String)] {
        let all: [(String, String?)] = [("name", name), ("preferred name", preferredName), ("NHS number", nhs?.formatted),
                                        ("date of birth", dob?.description), ("phone", phone),
                                        ("address", address.map { $0.split(whereSeparator: \.isNewline).joined(separator: ", ") }),
                                        ("GP practice", gpPractice)]
        return all.compactMap { k, v in v.map { (k, $0) } }
    }
}
