import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import Foundation

/// The risk register: dated risks, "no known risks", and resolving a risk. The app shows
/// open risks as a banner on every screen about the person.
struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "risk", abstract: "A person's risks: lone working, safeguarding, other; or no known risks.",
                                                    subcommands: [Add.self, NoneKnown.self, Resolve.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a dated risk.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String
        @Option(help: "Kind: lone-working, safeguarding (a concern raised) or other.") var kind: RiskKind
        @Option(help: "What the risk is (needed for other).") var note: String?
        @Option(help: "A safeguarding concern: to whom it was raised.") var raisedWith: String?
        @Option(help: "When it was known or raised (default: today).") var date: Day?

        func run() throws {
            let store = try data.open()
            defer { store.close() }
            let p = try unwrap(store.state.resolvePatient(patient))
            let rid = UUID()
            let input = RiskInput(patientId: p.id, kind: kind, note: note, raisedWith: raisedWith, date: date ?? asOf.today)
            try store.append(unwrap(Rules.recordRisk(input, state: store.state, context: asOf.rules(store), riskId: rid)))
            if output.json { return try printJSON(RiskJSON(store.state.risks[rid]!)) }
            say("Recorded risk \(shortId(rid)) for \(shortId(p.id)): \(kind.label)")
        }
    }

    struct NoneKnown: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "none", abstract: "Record that the person has no known risks (refused while one is open).")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @Argument(help: patientArgumentHelp) var patient: String

        func run() throws {
            let store = try data.open()
            defer { store.close() }
            let p = try unwrap(store.state.resolvePatient(patient))
            try store.append(unwrap(Rules.recordNoKnownRisks(patientId: p.id, date: asOf.today, state: store.state, context: asOf.rules(store))))
            say("Recorded: no known risks for \(shortId(p.id)) (\(asOf.today))")
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a risk resolved (it stays in the record).")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @Argument(help: "Risk id or unique id prefix (as patient show lists them).") var risk: String
        @Option(help: "Why it no longer applies.") var reason: String?

        func run() throws {
            let store = try data.open()
            defer { store.close() }
            let r = try unwrap(store.state.resolveRisk(risk))
            try store.append(unwrap(Rules.resolveRisk(r.id, reason: reason, state: store.state, context: asOf.rules(store))))
            say("Risk \(shortId(r.id)) resolved")
        }
    }
}


struct RiskJSON: Encodable {
    var id: String
    var kind: RiskKind
    var note: String?
    var raisedWith: String?
    var date: Day
    var recordedBy: String
    var resolvedOn: Day?
    var resolveReason: String?
    var open: Bool
    init(_ r: Risk) {
        id = r.id.lowercasedString; kind = r.kind; note = r.note; raisedWith = r.raisedWith; date = r.date
        recordedBy = r.recordedBy; resolvedOn = r.resolvedOn; resolveReason = r.resolveReason; open = r.isOpen
    }
}
