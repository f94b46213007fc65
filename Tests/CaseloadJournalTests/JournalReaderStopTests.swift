import XCTest
@testable import CaseloadJournal
import CaseloadCore

/// One test per way a read of the record format can stop, as LevelDB's log_test has, for both
/// readers: the whole-file scanner (opening, recovery, verify) and the streaming cursor
/// (`JournalRecordStream`: sync folders, cold opens). Both must hand over exactly the same
/// records before the stop; the scanner also says where the damage is.
final class JournalReaderStopTests: XCTestCase {
    var dir: URL!
    var path: String { dir.appendingPathComponent("r.journal").path }
    let device = UUID()

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("jr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    let payloads = (0..<3).map { Data("{\"n\":\($0),\"text\":\"Siobhán 王小明 🙂\"}".utf8) }

    /// A header and `payloads`, with the offset where each record starts.
    func journal(_ records: [Data]? = nil) -> (bytes: [UInt8], starts: [Int]) {
        var bytes = JournalFormat.encodeHeader(device: device)
        var starts: [Int] = []
        for p in records ?? payloads {
            starts.append(bytes.count)
            JournalFormat.encodeRecord(p, into: &bytes)
        }
        return (bytes, starts)
    }

    /// What each reader gives: the scanner's records and damage, the stream's records and
    /// whether it stopped at damage.
    func read(_ bytes: [UInt8]) throws -> (scan: JournalScan, streamed: [Data], streamStoppedAtDamage: Bool) {
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let scan = JournalScanner.scan(Data(bytes))
        let stream = try JournalRecordStream(path: path)
        var streamed: [Data] = []
        while let p = try stream.next() { streamed.append(p) }
        return (scan, streamed, stream.stoppedAtDamage)
    }

    func testACleanEndStopsWithEveryRecordAndNoDamage() throws {
        let r = try read(journal().bytes)
        XCTAssertEqual(r.scan.records.map(\.payload), payloads)
        XCTAssertEqual(r.streamed, payloads)
        XCTAssertTrue(r.scan.damage.isEmpty)
        XCTAssertFalse(r.streamStoppedAtDamage)
    }

    func testAnEmptyJournalHasNoRecords() throws {
        let r = try read(journal([]).bytes)
        XCTAssertTrue(r.scan.records.isEmpty && r.streamed.isEmpty && r.scan.damage.isEmpty)
        XCTAssertFalse(r.streamStoppedAtDamage)
    }

    func testTheFileEndingInsideARecordHeaderIsATornTail() throws {
        let (bytes, starts) = journal()
        for cut in starts[2] + 1..<starts[2] + JournalFormat.recordHeaderSize {
            let r = try read(Array(bytes[..<cut]))
            XCTAssertEqual(r.streamed, Array(payloads.prefix(2)), "cut at \(cut)")
            XCTAssertEqual(r.scan.records.map(\.payload), Array(payloads.prefix(2)))
            XCTAssertEqual(r.scan.damage, [JournalDamage(range: starts[2]..<cut, isTail: true)])
            XCTAssertTrue(r.streamStoppedAtDamage)
        }
    }

    func testTheFileEndingInsideAPayloadIsATornTail() throws {
        let (bytes, starts) = journal()
        let cut = bytes.count - 3
        let r = try read(Array(bytes[..<cut]))
        XCTAssertEqual(r.streamed, Array(payloads.prefix(2)))
        XCTAssertEqual(r.scan.damage, [JournalDamage(range: starts[2]..<cut, isTail: true)])
        XCTAssertTrue(r.streamStoppedAtDamage)
    }

    func testALengthOfZeroIsDamageNotAnEmptyRecord() throws {
        var (bytes, starts) = journal()
        for i in 0..<4 { bytes[starts[1] + i] = 0 }
        let r = try read(bytes)
        XCTAssertEqual(r.streamed, [payloads[0]])
        XCTAssertTrue(r.streamStoppedAtDamage)
        // The scanner finds the record after the damage: damage in the middle, not a tail.
        XCTAssertEqual(r.scan.records.map(\.payload), [payloads[0], payloads[2]])
        XCTAssertEqual(r.scan.damage, [JournalDamage(range: starts[1]..<starts[2], isTail: false)])
    }

    func testALengthOverTheLargestRecordIsDamageAndNothingThatBigIsRead() throws {
        var (bytes, starts) = journal()
        let huge = UInt32(JournalFormat.maxPayload + 1)
        for i in 0..<4 { bytes[starts[1] + i] = UInt8((huge >> (8 * UInt32(i))) & 0xFF) }
        let r = try read(bytes)
        XCTAssertEqual(r.streamed, [payloads[0]])
        XCTAssertTrue(r.streamStoppedAtDamage)
        XCTAssertEqual(r.scan.records.map(\.payload), [payloads[0], payloads[2]])
        XCTAssertEqual(r.scan.damage.map(\.isTail), [false])
    }

    func testALengthRunningPastTheEndOfTheFileIsATornTail() throws {
        var (bytes, starts) = journal()
        // The last record says it is longer than what is left of the file.
        let longer = UInt32(payloads[2].count + 100)
        for i in 0..<4 { bytes[starts[2] + i] = UInt8((longer >> (8 * UInt32(i))) & 0xFF) }
        let r = try read(bytes)
        XCTAssertEqual(r.streamed, Array(payloads.prefix(2)))
        XCTAssertTrue(r.streamStoppedAtDamage)
        XCTAssertEqual(r.scan.damage, [JournalDamage(range: starts[2]..<bytes.count, isTail: true)])
    }

    func testAFlippedPayloadByteFailsTheChecksum() throws {
        var (bytes, starts) = journal()
        bytes[starts[1] + JournalFormat.recordHeaderSize + 5] ^= 0x01
        let r = try read(bytes)
        XCTAssertEqual(r.streamed, [payloads[0]])
        XCTAssertTrue(r.streamStoppedAtDamage)
        XCTAssertEqual(r.scan.records.map(\.payload), [payloads[0], payloads[2]])
        XCTAssertEqual(r.scan.damage, [JournalDamage(range: starts[1]..<starts[2], isTail: false)])
    }

    func testAFlippedChecksumByteFailsTheChecksum() throws {
        var (bytes, starts) = journal()
        bytes[starts[0] + 4] ^= 0x80
        let r = try read(bytes)
        XCTAssertEqual(r.streamed, [])
        XCTAssertTrue(r.streamStoppedAtDamage)
        XCTAssertEqual(r.scan.records.map(\.payload), [payloads[1], payloads[2]])
    }

    func testTheMoreFollowsMarkIsNotPartOfTheLength() throws {
        var bytes = JournalFormat.encodeHeader(device: device)
        JournalFormat.encodeRecord(payloads[0], continues: true, into: &bytes)
        JournalFormat.encodeRecord(payloads[1], into: &bytes)
        let r = try read(bytes)
        XCTAssertEqual(r.streamed, Array(payloads.prefix(2)))
        XCTAssertEqual(r.scan.records.map(\.payload), Array(payloads.prefix(2)))
        XCTAssertTrue(r.scan.damage.isEmpty)
        XCTAssertNil(r.scan.interruptedBatch)
    }

    /// The stream reads a megabyte at a time: records across the boundary and a record larger
    /// than the buffer read whole.
    func testRecordsAcrossAndLargerThanTheReadBufferReadWhole() throws {
        let big = Data(repeating: UInt8(ascii: "x"), count: JournalCursor.chunkSize + 12_345)
        let records = (0..<40).map { Data(repeating: UInt8(ascii: "a") + UInt8($0 % 26), count: 50_000 + $0 * 97) } + [big] + payloads
        let r = try read(journal(records).bytes)
        XCTAssertEqual(r.streamed, records)
        XCTAssertEqual(r.scan.records.map(\.payload), records)
        XCTAssertFalse(r.streamStoppedAtDamage)
    }

    // MARK: the header

    func testEveryKindOfBadHeaderStopsBothReadersBeforeAnyRecord() throws {
        let good = journal().bytes
        var badChecksum = good; badChecksum[20] ^= 0x04
        var future = JournalFormat.encodeHeader(device: device)
        future[8] = 9  // version 9, checksum made to match: a journal from a newer Caseload.
        let crc = CRC32C.mask(CRC32C.checksum(Array(future[0..<28])))
        for i in 0..<4 { future[28 + i] = UInt8((crc >> (8 * UInt32(i))) & 0xFF) }
        let cases: [(String, [UInt8], JournalHeaderProblem)] = [
            ("empty", [], .incomplete),
            ("cut inside the magic", Array(good[..<5]), .incomplete),
            ("cut after the magic", Array(good[..<20]), .incomplete),
            ("not a journal", Array("name,nhsNumber\nZoë,999\n".utf8) + Array(repeating: 0, count: 40), .notAJournal),
            ("header checksum", badChecksum, .checksumMismatch),
            ("newer version", future, .futureVersion(9)),
        ]
        for (what, bytes, problem) in cases {
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            XCTAssertEqual(JournalScanner.scan(Data(bytes)).headerProblem, problem, what)
            XCTAssertTrue(JournalScanner.scan(Data(bytes)).records.isEmpty, what)
            XCTAssertThrowsError(try JournalRecordStream(path: path), what) { error in
                XCTAssertEqual(error as? JournalError, .header(path: path, problem), what)
            }
        }
    }

    // MARK: verify, now in the journal module

    func testVerifyNamesDamageSequenceGapsAnotherDeviceAndClocksAheadWithoutQuotingText() throws {
        let now: Int64 = 1_796_000_000_000
        func event(_ seq: UInt64, device: UUID? = nil, millis: Int64 = 1_795_000_000_000) throws -> Data {
            try Event(id: UUID(), device: device ?? self.device, seq: seq, clock: HLC(wallMillis: millis),
                      author: "amira", body: .serviceAdded(ServiceAdded(serviceId: UUID(), name: "Zoë's walking group"))).encoded()
        }
        let clean = journal([try event(1), try event(2)]).bytes
        FileManager.default.createFile(atPath: path, contents: Data(clean))
        XCTAssertEqual(try JournalVerifier.check(path, nowMillis: now), JournalReport(path: path, records: 2, problems: []))

        let odd = journal([try event(1), try event(3), try event(4, device: UUID()), try event(5, millis: now + 86_400_000 * 3), Data("not json".utf8)]).bytes
        FileManager.default.createFile(atPath: path, contents: Data(odd + [1, 2, 3]))
        let report = try JournalVerifier.check(path, nowMillis: now)
        XCTAssertEqual(report.records, 5)
        let problems = report.problems.joined(separator: "\n")
        for expected in ["incomplete or damaged last record", "has seq 3, expected 2", "names another device", "ahead of this computer's clock", "not a readable event"] {
            XCTAssertTrue(problems.contains(expected), "\(expected) in \(problems)")
        }
        XCTAssertFalse(problems.contains("Zoë"), "verify never quotes a record's text")
    }

    /// Verify decodes a batch of records on every core, then checks them in order: whatever
    /// the batch size (one record each, a few, all in one), it names every kind of damage it
    /// named when it went a record at a time, the same problems in the same order.
    func testVerifyInBatchesReportsEveryKindOfDamageInOrderWhateverTheBatchSize() throws {
        let now: Int64 = 1_796_000_000_000
        let other = UUID()
        var records: [Data] = []
        var seq: UInt64 = 0
        for i in 0..<300 {
            seq += 1
            if i == 200 { seq += 4 }  // a gap: 201 to 204 are missing
            let device = i == 130 ? other : self.device
            let millis: Int64 = i == 250 || i == 260 ? now + 86_400_000 * (i == 250 ? 3 : 5) : 1_795_000_000_000 + Int64(i)
            records.append(try Event(id: UUID(), device: device, seq: seq, clock: HLC(wallMillis: millis), author: "amira",
                                     body: .serviceAdded(ServiceAdded(serviceId: UUID(), name: "Zoë's walking group \(i)"))).encoded())
        }
        records[120] = Data("{\"id\":\"not an event\"}".utf8)  // checksum fine, not an event
        var (bytes, starts) = journal(records)
        bytes[starts[50] + JournalFormat.recordHeaderSize + 5] ^= 0x20  // record 50's checksum fails
        bytes += [1, 2, 3]  // a torn tail
        FileManager.default.createFile(atPath: path, contents: Data(bytes))

        let whole = try JournalVerifier.check(path, nowMillis: now, batchBytes: .max)
        XCTAssertEqual(whole.records, 299, "every record but the damaged one")
        XCTAssertEqual(whole.problems.count, 8, whole.problems.joined(separator: "\n"))
        let expected = [
            "damaged bytes \(starts[50])..<\(starts[51]) followed by valid records",
            "incomplete or damaged last record at byte \(bytes.count - 3)",
            "record at byte \(starts[51]) has seq 52, expected 51",
            "record at byte \(starts[120]) has a valid checksum but is not a readable event",
            "record at byte \(starts[121]) has seq 122, expected 121",
            "record at byte \(starts[130]) names another device",
            "record at byte \(starts[200]) has seq 205, expected 201",
        ]
        for (problem, start) in zip(whole.problems, expected) { XCTAssertTrue(problem.hasPrefix(start), "\(problem) should start \(start)") }
        XCTAssertTrue(whole.problems.last?.hasPrefix("2 record(s) dated up to 2026-") ?? false, whole.problems.last ?? "")
        XCTAssertFalse(whole.problems.joined().contains("Zoë"), "verify never quotes a record's text")
        for batch in [1, 300, 4096, 50_000] {
            XCTAssertEqual(try JournalVerifier.check(path, nowMillis: now, batchBytes: batch), whole, "batches of \(batch) bytes")
        }
    }
}
