import XCTest
@testable import CaseloadJournal
import CaseloadCore

/// Big writes are all or nothing: power lost inside a multi-record write (a page never
/// written, or the write cut short) drops that write whole, and the journal stays writable.
final class InterruptedWriteTests: XCTestCase {
    var dir: URL!
    let day = Day("2026-11-23")!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("iw-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func people(_ n: Int, prefix: String) -> [EventBody] {
        (0..<n).map { i in .patientReferred(PatientReferred(patientId: UUID(), name: "\(prefix) \(i) " + String(repeating: "x", count: 40),
                                                            referral: Referral(date: day, source: .gp, reasons: []))) }
    }

    /// Writes 20 people one at a time (acknowledged), then a 1,500-person import; returns the
    /// journal bytes before and after the import.
    private func journalWithAnImport() throws -> (path: String, before: Data, after: Data) {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        for body in people(20, prefix: "Single") { try store.append([body]) }
        let path = store.journalPath
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        try store.append(people(1500, prefix: "Imported"))
        store.close()
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("snapshot.bin"))
        return (path, before, try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// `toldToRerun`: false only when not one record of the import reached the disk whole (then
    /// it is an ordinary torn tail, and there is no telling it was an import).
    private func assertImportDroppedWhole(_ bytes: Data, at path: String, before: Data, toldToRerun: Bool = true,
                                          file: StaticString = #filePath, line: UInt = #line) throws {
        try bytes.write(to: URL(fileURLWithPath: path))
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("snapshot.bin"))
        let store = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertEqual(store.state.patients.count, 20, "only the acknowledged people, none of the import", file: file, line: line)
        XCTAssertEqual(store.warnings.count, 1, "\(store.warnings)", file: file, line: line)
        if toldToRerun {
            XCTAssertTrue(store.warnings.contains { $0.contains("Run that import or sync again") }, "\(store.warnings)", file: file, line: line)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "cut back to the end of the last acknowledged write", file: file, line: line)
        try store.append([people(1, prefix: "After")[0]])
        store.close()
        let reopened = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertEqual(reopened.state.patients.count, 21, file: file, line: line)
        XCTAssertTrue(reopened.warnings.isEmpty, "\(reopened.warnings)", file: file, line: line)
        reopened.close()
    }

    /// Readers (`overdue`, reports, a second window) open without recovering: they must not
    /// show part of a write that opening for writing will drop, nor fold it into a snapshot.
    func testAReaderShowsNoneOfAnImportCutShortAndSaysSo() throws {
        let (path, before, after) = try journalWithAnImport()
        for cut in [before.count + (after.count - before.count) / 2, after.count - 10] {
            try after.prefix(cut).write(to: URL(fileURLWithPath: path))
            let reader = try CaseloadStore.open(dataDirectory: dir, mode: .readOnly)
            XCTAssertEqual(reader.state.patients.count, 20, "only the acknowledged people")
            XCTAssertEqual(reader.warnings.count, 1, "\(reader.warnings)")
            XCTAssertTrue(reader.warnings.first?.contains("cut short by a crash") ?? false, "\(reader.warnings)")
            reader.close()
        }
        // Cut exactly between two records of the import: no torn bytes, but the write never ended.
        let scan = JournalScanner.scan(after)
        let boundary = scan.records[20 + 700].offset
        try after.prefix(boundary).write(to: URL(fileURLWithPath: path))
        let reader = try CaseloadStore.open(dataDirectory: dir, mode: .readOnly)
        XCTAssertEqual(reader.state.patients.count, 20)
        reader.close()
        try after.write(to: URL(fileURLWithPath: path))
        let whole = try CaseloadStore.open(dataDirectory: dir, mode: .readOnly)
        XCTAssertEqual(whole.state.patients.count, 1520, "the finished import is all there")
        XCTAssertTrue(whole.warnings.isEmpty, "\(whole.warnings)")
        whole.close()
    }

    func testAMissingPageInsideAnImportDropsTheImportWholeAndTheJournalStaysWritable() throws {
        let (path, before, after) = try journalWithAnImport()
        XCTAssertGreaterThan(after.count - before.count, 40_000)
        var rng = SeededRandom(seed: 9)
        for round in 0..<6 {
            // One 4 KiB page of the import never reached the disk: zeros (first, last and inside).
            let pages = (after.count - before.count) / 4096
            let page = round == 0 ? 0 : round == 1 ? pages - 1 : rng.int(1...(pages - 2))
            let start = (before.count + 4095) / 4096 * 4096 + page * 4096
            var bytes = after
            bytes.replaceSubrange(start..<min(start + 4096, bytes.count), with: Data(count: min(4096, bytes.count - start)))
            try assertImportDroppedWhole(bytes, at: path, before: before)
            try after.write(to: URL(fileURLWithPath: path))
            // The extra person written by the check above goes with the restored bytes.
        }
    }

    func testAnImportCutShortAnywhereLeavesNoneOfItNotAPartOfIt() throws {
        let (path, before, after) = try journalWithAnImport()
        var rng = SeededRandom(seed: 4)
        let cuts = [before.count + 1, before.count + 8, after.count - 1] + (0..<5).map { _ in rng.int((before.count + 9)...(after.count - 2)) }
        let scan = JournalScanner.scan(after)
        XCTAssertEqual(scan.records.count, 1 + 20 + 1500)
        for cut in cuts {
            try assertImportDroppedWhole(after.prefix(cut), at: path, before: before, toldToRerun: cut >= scan.records[22].offset)
        }
        // Cut exactly at a record boundary inside the import: every record there is valid, but
        // the write has no last record, so it is still dropped whole.
        let boundary = scan.records[20 + 1 + 700].offset
        try assertImportDroppedWhole(after.prefix(boundary), at: path, before: before)
    }

    func testASingleRecordWriteCutShortIsStillATornTailAndJournalsWithoutMarksOpenAsBefore() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        for body in people(3, prefix: "One") { try store.append([body]) }
        let path = store.journalPath
        store.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertNil(JournalScanner.scan(bytes).interruptedBatch)
        try bytes.prefix(bytes.count - 3).write(to: URL(fileURLWithPath: path))
        let reopened = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertEqual(reopened.state.patients.count, 2)
        XCTAssertTrue(reopened.warnings.first?.contains("last record was incomplete") == true, "\(reopened.warnings)")
        // A journal of unmarked records (as every earlier version wrote) with damage in the
        // middle is refused as before, never cut.
        reopened.close()
        var damaged = try Data(contentsOf: URL(fileURLWithPath: path))
        let mid = JournalScanner.scan(damaged).records[1].offset + 10
        damaged[mid] ^= 0xFF
        try damaged.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try CaseloadStore.open(dataDirectory: dir)) { XCTAssertTrue("\($0)".contains("damaged at byte"), "\($0)") }
    }

    /// An import larger than one piece (`CaseloadStore.appendPiece`) is still one write: every
    /// record but its last is marked, a cut between the pieces drops it whole, and the state
    /// folded piece by piece is the state a cold fold of the journal gives.
    func testAnImportWrittenInPiecesIsOneWriteAndFoldsAsTheJournalReads() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        for body in people(20, prefix: "Single") { try store.append([body]) }
        let path = store.journalPath
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let n = CaseloadStore.appendPiece * 2 + 100
        var pieces: [Int] = []
        try store.append(people(n, prefix: "Imported").map { PendingEvent($0) }) { pieces.append($0.count) }
        XCTAssertEqual(pieces, [CaseloadStore.appendPiece, CaseloadStore.appendPiece, 100], "made and written in three pieces")
        let folded = store.state
        store.close()
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        let scan = JournalScanner.scan(after)
        let write = scan.records.suffix(n)
        XCTAssertEqual(write.count, n)
        let marked = after.withUnsafeBytes { raw in write.map { JournalFormat.readLE(raw, $0.offset) & JournalFormat.continuesFlag != 0 } }
        XCTAssertEqual(marked.filter { !$0 }.count, 1, "one record ends the write")
        XCTAssertEqual(marked.last, false)
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("snapshot.bin"))
        let cold = try CaseloadStore.open(dataDirectory: dir, mode: .readOnly)
        XCTAssertEqual(cold.state.patients.count, 20 + n)
        XCTAssertEqual(cold.state, folded, "piece by piece folds to what the journal reads back as")
        cold.close()
        // Cut where the second piece begins: whole records, but the write never ended.
        let boundary = scan.records[scan.records.count - n + CaseloadStore.appendPiece].offset
        try assertImportDroppedWhole(after.prefix(boundary), at: path, before: before)
    }

    /// A record the reader could not read back, in the last piece of a large write: nothing of
    /// the write stays on disk, the pieces already folded leave the state, and the next
    /// change is saved as usual.
    func testAPieceThatFailsLeavesNoneOfTheWrite() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        for body in people(20, prefix: "Single") { try store.append([body]) }
        let path = store.journalPath
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        var bodies = people(CaseloadStore.appendPiece + 50, prefix: "Imported")
        bodies[CaseloadStore.appendPiece + 10] = .patientReferred(PatientReferred(
            patientId: UUID(), name: String(repeating: "n", count: 100_000), referral: Referral(date: day, source: .gp, reasons: [])))
        XCTAssertThrowsError(try store.append(bodies.map { PendingEvent($0) })) { XCTAssertTrue("\($0)".contains("nothing was saved"), "\($0)") }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "the first piece, written, is cut back off")
        XCTAssertEqual(store.state.patients.count, 20, "and folded no more")
        try store.append(people(1, prefix: "After"))
        XCTAssertEqual(store.state.patients.count, 21)
        store.close()
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("snapshot.bin"))
        let reopened = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertEqual(reopened.state.patients.count, 21)
        XCTAssertTrue(reopened.warnings.isEmpty, "\(reopened.warnings)")
        reopened.close()
    }
}
