import ArgumentParser
import CaseloadCore
import Foundation

/// `caseload gp-summary PATIENT`: the message back to the GP and referrer, the same words as
/// the terminal app's letter (`M`), only for people who agreed to sharing with their GP.
struct GPSummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gp-summary",
        abstract: "The message back to the GP and referrer (with SNOMED CT codes), for people who consented to sharing with their GP.")
    @OptionGroup var data: DataOptions
    @OptionGroup var asOf: AsOfOption
    @Argument(help: "Patient id, unique id prefix, or NHS number.") var patient: String
    @Option(help: "text or json.") var format = "text"

    func run() throws {
        guard ["text", "json"].contains(format) else { throw CLIError("--format is text or json, not '\(format)'") }
        let store = try data.open(.readOnly)
        let p = try unwrap(store.state.resolvePatient(patient))
        if let problem = GPSummary.consentProblem(p) {
            throw CLIError("not writing a GP summary for \(shortId(p.id)): \(problem)")
        }
        guard let summary = GPSummary(patientId: p.id, state: store.state, workerId: store.workerId, asOf: asOf.today) else {
            throw CLIError("no patient matches '\(patient)'")
        }
        if format == "json" { return try printJSON(summary) }
        say(summary.text)
    }
}
