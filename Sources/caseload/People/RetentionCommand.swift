import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import Foundation

/// `caseload retention`: the retention schedule applied. Lists, then erases, the people whose
/// care ended and who were last active more than N years ago.
struct Retention: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Erase people whose care ended and whose last contact or discharge is older than N years (default 8).",
        discussion: "Eight years after the last contact is the NHS Records Management Code of Practice's period for adult health records. Open cases and restricted records are never erased by the schedule. --dry-run lists without erasing.")
    @OptionGroup var data: DataOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var output: JSONFlag
    @Option(name: .customLong("after-years"), help: "Years after the last contact or discharge (1-100).") var afterYears = RetentionRule.defaultYears
    @Flag(name: .customLong("dry-run"), help: "List who is due; erase no one.") var dryRun = false

    struct Row: Encodable {
        var id: String
        var name: String
        var lastActive: Day
        var status: String
        var erased: Bool
        var refused: String?
    }

    func validate() throws {
        guard (1...100).contains(afterYears) else { throw ValidationError("--after-years must be between 1 and 100") }
    }

    func run() throws {
        let store = try data.open()
        defer { store.close() }
        let due = RetentionRule(years: afterYears).due(store.state, asOf: asOf.today)
        var rows = due.map { Row(id: $0.id.lowercasedString, name: $0.name, lastActive: RetentionRule.lastActive($0), status: $0.status.label, erased: false, refused: nil) }
        if !dryRun, !due.isEmpty {
            let context = asOf.rules(store)
            var bodies: [EventBody] = []
            for (i, p) in due.enumerated() {
                switch Rules.erase(patientId: p.id, reason: "retention schedule: \(afterYears) years after the last contact or discharge",
                                   state: store.state, context: context) {
                case .success(let b): bodies += b; rows[i].erased = true
                case .failure(let problems): rows[i].refused = problems.items.map(\.message).joined(separator: "; ")
                }
            }
            // One write: all of them, or (a full disk, a plain caseload) none.
            if !bodies.isEmpty { try store.append(bodies) }
        }
        if output.json { return try printJSON(rows) }
        if rows.isEmpty { return say("No one is due: every closed case was active within the last \(afterYears) years") }
        var table = TextTable(["ID", "NAME", "LAST ACTIVE", "STATUS", dryRun ? "DUE" : "ERASED"])
        for r in rows { table.add([String(r.id.prefix(8)), r.name, r.lastActive.description, r.status, dryRun ? "yes" : (r.erased ? "yes" : "no: " + (r.refused ?? ""))]) }
        table.print()
        let erased = rows.filter(\.erased).count
        say(dryRun ? "\(rows.count) due for erasure after \(afterYears) years; run without --dry-run to erase them"
                   : "Erased \(erased) of \(rows.count) due after \(afterYears) years")
    }
}
