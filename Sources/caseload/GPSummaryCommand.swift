import ArgumentParser
import CaseloadCore
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
    @Argument(help: "Patient id, unique id prefix, NHS number, or full name when only one person has it.") var patient: String
    @Option(help: "text (the letter), html (a page that prints on A4) or fhir (a FHIR R4 document Bundle in JSON).") var format = "text"
    @Option(name: [.customShort("o"), .long], help: "Write to this file (created readable only by you) instead of printing.") var out: String?

    func run() throws {
        guard let chosen = GPSummaryFormat(rawValue: format) ?? (format == "json" ? .json : nil) else {
            throw CLIError("--format is text, html or fhir, not '\(format)'")
        }
        let store = try data.open(.readOnly)
        let p = try unwrap(store.state.resolvePatient(patient, acceptingName: true))
        if let problem = GPSummary.consentProblem(p) {
            throw CLIError("not writing a GP summary for \(shortId(p.id)): \(problem)")
        }
        let sender = Caseload.configuredSender(worker: store.state.workers[store.workerId], workerId: store.workerId)
        guard let summary = GPSummary(patientId: p.id, state: store.state, workerId: store.workerId, asOf: asOf.today, sender: sender) else {
            throw CLIError("no patient matches that id")
        }
        let body = try (output.json ? .json : chosen).render(summary)
        guard let out else { return print(body, terminator: body.hasSuffix("\n") ? "" : "\n") }
        try PrivateFile.write(body.hasSuffix("\n") ? body : body + "\n", to: out)
        say("Wrote the GP summary (\(chosen.rawValue)\(summary.sharing == .codesOnly ? ", codes and dates only" : "")) to \(out)")
    }
}

enum GPSummaryFormat: String {
    case text, html, fhir, json

    func render(_ s: GPSummary) throws -> String {
        switch self {
        case .text: return s.text
        case .html: return s.html
        case .fhir: return s.fhirJSON
        case .json:
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try e.encode(s), as: UTF8.self)
        }
    }
}

/// A file only its owner can read, from its first byte: opened with mode 0600 (an existing
/// file is set to 0600 before anything is written), written whole and flushed.
enum PrivateFile {
    static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw CLIError("cannot make \(path) private: \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let ok = bytes.withUnsafeBytes { b in
            var done = 0
            while done < b.count {
                let n = Foundation.write(fd, b.baseAddress! + done, b.count - done)
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        guard ok, fsync(fd) == 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}
