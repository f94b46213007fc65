import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadCrypto
import CaseloadJournal
import Foundation

/// One person's record opened to be shown (`patient show`, `export --patient`, `gp-summary`).
struct OpenedRecord {
    let store: CaseloadStore
    let patient: Patient
    let how: ViewSurface
    let asOf: Day
    /// Why a view cannot be written here (the app holds the journal, the folder is read-only).
    let notWritable: String?

    /// Records that the record was shown: who, when, how (`caseload audit`). Called once it has
    /// been printed or written, so a refusal or a failed write records nothing. When the view
    /// cannot be written the record has still been shown, and stderr says it is not in the audit.
    func recordShown() {
        var why = notWritable
        if why == nil {
            do { try store.append(Rules.recordView(patientId: patient.id, how: how, state: store.state, context: RuleContext(asOf: asOf))) }
            catch { why = "\(error)" }
        }
        if let why { FileHandle.standardError.write(Data("caseload: warning: this view of \(shortId(patient.id)) is not in the audit: \(why)\n".utf8)) }
    }
}

extension DataOptions {
    /// Opens the caseload to show one person's record, for writing if it can (to record the
    /// view), else read-only: showing it must not fail because the app has it open. Refusing
    /// would only send the worker to the files.
    func openToView(_ key: String, how: ViewSurface, asOf: Day) throws -> OpenedRecord {
        var store: CaseloadStore
        var why: String?
        do {
            store = try open()
        } catch let e as JournalError {
            guard case .locked = e else { throw e }
            why = "the caseload is open in another caseload process (the app?)"
            store = try open(.readOnly)
        } catch let e as StoreError {
            guard case .notWritable = e else { throw e }
            why = "the caseload's folder is read-only"
            store = try open(.readOnly)
        }
        let p = try unwrap(store.state.resolvePatient(key))
        return OpenedRecord(store: store, patient: p, how: how, asOf: asOf, notWritable: why)
    }
}

/// Every vocabulary is typed on the command line as it is in the app (`Vocabulary.parse`:
/// any case, with or without separators, or an alias) and lists its values in `--help`.
extension ExpressibleByArgument where Self: Vocabulary {
    public init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// "Did not attend" is read from older journals but no longer offered (completion, man page).
extension PatientStatus: ExpressibleByArgument {
    public static var allValueStrings: [String] { settable.map(\.rawValue) }
}
extension ReferralSource: ExpressibleByArgument {}
extension ReferralReason: ExpressibleByArgument {}
extension SessionKind: ExpressibleByArgument {}
extension GoalStatus: ExpressibleByArgument {}
extension ConnectionStage: ExpressibleByArgument {}
extension ConnectionRoute: ExpressibleByArgument {}
extension Instrument: ExpressibleByArgument {}
extension ConsentKind: ExpressibleByArgument {}
extension ContactOutcome: ExpressibleByArgument {}
extension RiskKind: ExpressibleByArgument {}
extension FollowupDisposal: ExpressibleByArgument {}

/// How every command's patient argument is described; `CaseloadState.resolvePatient` reads it.
let patientArgumentHelp: ArgumentHelp = "Patient id, unique id prefix, or NHS number. Or their name, whole or its start, when only one person's name matches."

/// What a rule allows, or its problems as the one line a refused command prints.
func unwrap<T>(_ r: Result<T, Problems<FieldProblem>>) throws -> T {
    switch r {
    case .success(let v): return v
    case .failure(let p): throw CLIError(p.items.map(\.message).joined(separator: "; ") + "; nothing was changed")
    }
}

extension AsOfOption {
    /// The rules' view of today and of who acts: the store's worker.
    func rules(_ store: CaseloadStore) -> RuleContext { RuleContext(asOf: today, actor: store.workerId) }
}

func unwrap<T>(_ r: Result<T, LookupError>) throws -> T {
    switch r {
    case .success(let v): return v
    case .failure(let e): throw CLIError(e.description)
    }
}

func parseNHS(_ text: String?) throws -> NHSNumber? {
    guard let text else { return nil }
    switch NHSNumber.parse(text) {
    case .success(let n): return n
    case .failure(let p): throw CLIError("invalid NHS number '\(text)': \(p)")
    }
}

func nonEmpty(_ text: String?, _ what: String) throws -> String {
    let t = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    guard !t.isEmpty else { throw CLIError("\(what) is empty") }
    return t
}

/// Reads a note from `--note TEXT`, or from a file, or with `-` (for either option) from
/// standard input, which keeps the note out of `ps` and shell history; insists on UTF-8.
func readNote(text: String?, file: String?) throws -> String {
    if text != nil, file != nil { throw CLIError("give either --note or --note-file, not both") }
    if let text, text != "-" { return text }
    guard let file = text ?? file else { return "" }
    let data: Data
    if file == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
        guard FileManager.default.fileExists(atPath: file) else { throw CLIError("the note file \(file) does not exist") }
        guard let d = FileManager.default.contents(atPath: file) else { throw CLIError.io("the note file \(file) cannot be read") }
        data = d
    }
    guard let s = String(data: data, encoding: .utf8) else {
        throw CLIError.badData("the note file \(file) is not UTF-8 text; save it as UTF-8 and try again")
    }
    return s
}

/// Text typed on several lines (an address) as one line, its parts joined by commas.
func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: ", ")
}

func shortId(_ id: UUID) -> String { String(id.lowercasedString.prefix(8)) }

/// Writes an export, record or report file private (0600) from its first byte.
func writePrivate(_ bytes: Data, to path: String) throws {
    do { try PrivateFile.save(bytes, to: path) }
    catch { throw CLIError("cannot write \(path): \(error)") }
}
