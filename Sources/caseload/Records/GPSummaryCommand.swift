import CaseloadText
import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import Foundation

/// `caseload gp-summary PATIENT`: the message back to the GP, the same words as the terminal
/// app's letter (`M`), as text, a printable HTML page or a FHIR R4 document Bundle. The whole
/// message with consent to share with the GP; the codes and dates only with consent to social
/// prescribing alone; nothing without either.
struct GPSummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gp-summary",
        abstract: "The message back to the GP (plan, person, referral, contacts, assessments, services, risks, outcome, SNOMED CT codes, sender).",
        discussion: """
            With consent to share with the GP the whole message goes; with consent to social prescribing only, the SNOMED CT \
            codes and their dates only. The sender comes from sender_name, sender_role, sender_organisation and sender_contact \
            in ~/.config/caseload/config.toml.
            """)
    @OptionGroup var data: DataOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var output: JSONFlag
    @Argument(help: patientArgumentHelp) var patient: String
    @Option(help: "text (the letter), html (a page that prints on A4) or fhir (a FHIR R4 document Bundle in JSON).") var format = "text"
    @Option(name: [.customShort("o"), .long], help: "Write to this file (created readable only by you) instead of printing.") var out: String?

    func run() throws {
        // `--format json` is the older spelling of `--json`.
        let chosen = GPSummary.Format(rawValue: format)
        guard chosen != nil || format == "json" else { throw CLIError("--format is text, html or fhir, not '\(format)'") }
        let opened = try data.openToView(patient, how: .gpSummary, asOf: asOf.today)
        let store = opened.store, p = opened.patient
        defer { store.close() }
        if let problem = GPSummary.consentProblem(p) {
            throw CLIError("not writing a GP summary for \(shortId(p.id)): \(problem)")
        }
        guard let summary = GPSummary(patientId: p.id, state: store.state, workerId: store.workerId, asOf: asOf.today,
                                      sender: Caseload.settings.sender) else {
            throw CLIError("no patient matches that id")
        }
        // Said on stderr, so the letter itself stays as it goes; how to add what is missing.
        if let missing = GPSummary.missingNote(p) {
            FileHandle.standardError.write(Data("caseload: note: \(missing) (add with caseload patient update \(shortId(p.id)) --nhs-number … --gp-practice …)\n".utf8))
        }
        let body: String
        if let chosen, !output.json {
            body = summary.rendered(chosen)
        } else {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            body = String(decoding: try e.encode(summary), as: UTF8.self) + "\n"
        }
        guard let out else {
            // The letter on a terminal is made terminal-safe; HTML, FHIR and JSON go out exact.
            let isText = !output.json && chosen == .text
            StandardOutput.bytes(Array((isText ? terminalSafe(body) : body).utf8))
            return opened.recordShown()
        }
        do { try PrivateFile.save(Data(body.utf8), to: out) } catch { throw CLIError.io("cannot write \(out): \(error)") }
        opened.recordShown()
        say("Wrote the GP summary (\(output.json ? "json" : format)\(summary.sharing == .codesOnly ? ", codes and dates only" : "")) to \(out)")
    }
}
