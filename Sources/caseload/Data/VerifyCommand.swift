import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadCrypto
import CaseloadJournal
import Foundation

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check every journal for damage, without changing anything.")
    @OptionGroup var data: DataOptions
    @OptionGroup var output: JSONFlag
    @Option(help: "Check this journal file instead of the data folder's.") var file: String?

    func run() throws {
        var paths: [String] = []
        if let file {
            guard FileManager.default.fileExists(atPath: file) else { throw CLIError("\(file) does not exist") }
            paths = [file]
        } else {
            _ = try DataDirectory.readConfig(data.directory)
            let dir = DataDirectory.journalDirectory(data.directory)
            paths = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
                .filter { $0.hasSuffix(".journal") }.sorted().map { dir.appendingPathComponent($0).path }
        }
        // Sealed records are opened too (their tag checked), so an encrypted caseload asks for its passphrase.
        let codec = file == nil ? try Passphrase.codec(for: data.directory) : .plain
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let reports = try paths.map { try JournalVerifier.check($0, codec: codec, nowMillis: now) }
        let bad = reports.filter { !$0.problems.isEmpty }
        if output.json {
            try printJSON(reports)
        } else {
            for r in reports {
                say("\(r.path): \(r.records) records, \(r.problems.isEmpty ? "OK" : "\(r.problems.count) problem(s)")")
                for p in r.problems { say("  - \(p)") }
            }
        }
        if !bad.isEmpty {
            FileHandle.standardError.write(Data("caseload: error: damage or suspect records found in \(bad.count) journal(s); nothing was changed. Keep a copy of the file(s) before doing anything else.\n".utf8))
            throw ExitCode(2)
        }
    }
}
