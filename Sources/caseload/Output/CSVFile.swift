import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import Foundation

/// One CSV file of an export, written as it is made: rows go to a private temporary file a
/// megabyte at a time (a 50,000-person export was held whole in memory, then copied once
/// more), and `finish` syncs it and gives it its name. A failed write is remembered and
/// reported by `finish`, so adding a row stays as simple as `CSVWriter.add`.
final class CSVFile {
    let path: String
    private var csv: CSVWriter
    private let file: PrivateFile.Writer
    private var failure: Error?

    static let flushAt = 1 << 20

    init(_ path: String, header: [String], bom: Bool) throws {
        self.path = path
        csv = CSVWriter(header: header, bom: bom)
        do { file = try PrivateFile.Writer(path) }
        catch { throw CLIError("cannot write \(path): \(error)") }
    }

    func add(_ fields: [String]) {
        csv.add(fields)
        if csv.bytes.count >= Self.flushAt { flush() }
    }

    private func flush() {
        guard failure == nil else { return csv.drain { _ in } }
        do { try csv.drain(file.append) } catch { failure = error }
    }

    func finish() throws {
        flush()
        do {
            if let failure { throw failure }
            try file.commit()
        } catch { throw CLIError("cannot write \(path): \(error)") }
    }
}
