import XCTest
@testable import CaseloadJournal
import CaseloadCore

/// One test per failure path, in the spirit of LevelDB's log_test: byte surgery on real files.
final class JournalFileTests: XCTestCase {
    var dir: URL!
    var path: String { dir.appendingPathComponent("j.journal").path }
    let device = UUID()

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("jt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func payloads(_ n: Int) -> [Data] { (0..<n).map { Data("{\"n\":\($0),\"text\":\"Siobhán 王小明 🙂\"}".utf8) } }

    func bytes() -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path)!) }
    func write(_ b: [UInt8]) { FileManager.default.createFile(atPath: path, contents: Data(b)) }

    func testAppendedRecordsReadBackInOrderAndTheFileIsPrivate() throws {
        let j = try JournalFile(path: path, device: device)
        try j.append(payloads(3))
        try j.append(payloads(2))
        j.close()
        let scan = try JournalFile.read(path: path)
        XCTAssertEqual(scan.records.map(\.payload), payloads(3) + payloads(2))
        XCTAssertTrue(scan.damage.isEmpty)
        XCTAssertEqual(scan.header?.device, device)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o777, 0o600)
    }

    func testASecondWriterIsKeptOut() throws {
        let first = try JournalFile(path: path, device: device)
        XCTAssertThrowsError(try JournalFile(path: path, device: device)) { error in
            XCTAssertEqual(error as? JournalError, .locked(path: path))
            XCTAssertTrue("\(error)".contains("another caseload process"))
        }
        first.close()
        XCTAssertNoThrow(try JournalFile(path: path, device: device))
    }

    func testATornTailAtEveryByteOfTheLastRecordIsSetAsideAndEverythingBeforeIsKept() throws {
        let j = try JournalFile(path: path, device: device)
        try j.append(payloads(2))
        let goodEnd = j.endOffset
        try j.append([Data("{\"last\":\"record\"}".utf8)])
        j.close()
        let full = bytes()
        for cut in goodEnd + 1..<full.count {
            write(Array(full[..<cut]))
            let reopened = try JournalFile(path: path, device: device)
            XCTAssertEqual(try JournalFile.read(path: path).records.map(\.payload), payloads(2), "cut at \(cut)")
            let recovery = try XCTUnwrap(reopened.recovery, "cut at \(cut)")
            XCTAssertEqual(recovery.damage.range, goodEnd..<cut)
            XCTAssertEqual(FileManager.default.contents(atPath: recovery.sideFile).map { [UInt8]($0) }, Array(full[goodEnd..<cut]),
                           "the damaged bytes are kept aside, not thrown away")
            // And the journal accepts new records after the recovery.
            try reopened.append([Data("{\"after\":1}".utf8)])
            reopened.close()
            XCTAssertEqual(try JournalFile.read(path: path).records.count, 3)
            try FileManager.default.removeItem(atPath: recovery.sideFile)
        }
    }

    func testDamageInTheMiddleRefusesToAppendAndChangesNothing() throws {
        let j = try JournalFile(path: path, device: device)
        try j.append(payloads(3))
        j.close()
        var b = bytes()
        b[JournalFormat.headerSize + 12] ^= 0x40  // inside the first record's payload
        write(b)
        XCTAssertThrowsError(try JournalFile(path: path, device: device)) { error in
            guard case .middleDamage(_, let offset)? = error as? JournalError else { return XCTFail("\(error)") }
            XCTAssertEqual(offset, JournalFormat.headerSize)
        }
        XCTAssertEqual(bytes(), b, "nothing was written or cut")
        let scan = try JournalFile.read(path: path)
        XCTAssertEqual(scan.records.count, 2, "the records after the damage are still readable")
        XCTAssertTrue(scan.hasMiddleDamage)
    }

    func testEveryFlippedByteIsDetected() throws {
        let j = try JournalFile(path: path, device: device)
        try j.append(payloads(3))
        j.close()
        let clean = bytes()
        for i in clean.indices {
            var b = clean
            b[i] ^= 0x01
            let scan = JournalScanner.scan(Data(b))
            XCTAssertTrue(scan.headerProblem != nil || !scan.damage.isEmpty, "flip at byte \(i) went unnoticed")
        }
    }

    /// `verify` reads the file through a small window (`BytesFromFile`); it must find exactly
    /// the records and damage that the whole-file scan finds, wherever the window's edges fall.
    func testAFileReadThroughAWindowScansLikeTheWholeFile() throws {
        let j = try JournalFile(path: path, device: device)
        try j.append(payloads(5))
        try j.append((0..<4).map { Data(String(repeating: "x", count: 300 + $0 * 97).utf8) })
        j.close()
        let clean = bytes()
        var generator = SystemRandomNumberGenerator()
        var damaged: [[UInt8]] = [clean, Array(clean.prefix(clean.count - 5))]
        for _ in 0..<30 {
            var b = clean
            let at = Int.random(in: JournalFormat.headerSize..<b.count, using: &generator)
            for k in at..<min(b.count, at + Int.random(in: 1...40, using: &generator)) { b[k] = .random(in: 0...255, using: &generator) }
            damaged.append(b)
        }
        for (n, b) in damaged.enumerated() {
            write(b)
            let whole = JournalScanner.scan(Data(b))
            for window in [1, 9, 64, 333, 4096] {
                let fd = open(path, O_RDONLY)
                defer { close(fd) }
                var source = BytesFromFile(fd: fd, size: b.count, window: window)
                var offsets: [Int] = []
                var payloads: [Data] = []
                let scan = JournalScanner.visit(&source) { offset, payload in offsets.append(offset); payloads.append(Data(payload)) }
                XCTAssertNil(source.readError)
                XCTAssertEqual(offsets, whole.records.map(\.offset), "file \(n), window \(window)")
                XCTAssertEqual(payloads, whole.records.map(\.payload), "file \(n), window \(window)")
                XCTAssertEqual(scan.damage, whole.damage, "file \(n), window \(window)")
                XCTAssertEqual(scan.interruptedBatch, whole.interruptedBatch)
                XCTAssertEqual(scan.header?.device, whole.header?.device)
            }
        }
    }

    func testHeaderProblemsAreNamed() throws {
        write(Array("hello, this is not a journal at all".utf8))
        XCTAssertThrowsError(try JournalFile(path: path, device: device)) { XCTAssertEqual($0 as? JournalError, .header(path: path, .notAJournal)) }

        var header = JournalFormat.encodeHeader(device: device)
        header[8] = 9  // version 9, with a checksum that matches
        let crc = CRC32C.mask(CRC32C.checksum(header[0..<28]))
        header[28] = UInt8(crc & 0xFF); header[29] = UInt8((crc >> 8) & 0xFF); header[30] = UInt8((crc >> 16) & 0xFF); header[31] = UInt8(crc >> 24)
        write(header)
        XCTAssertThrowsError(try JournalFile(path: path, device: device)) { XCTAssertEqual($0 as? JournalError, .header(path: path, .futureVersion(9))) }

        write(JournalFormat.encodeHeader(device: UUID()))
        XCTAssertThrowsError(try JournalFile(path: path, device: device)) { XCTAssertEqual($0 as? JournalError, .wrongDevice(path: path)) }
    }

    func testAFileWhoseCreationWasCutShortStartsAfresh() throws {
        write(Array(JournalFormat.encodeHeader(device: device).prefix(11)))
        let j = try JournalFile(path: path, device: device)
        try j.append(payloads(1))
        j.close()
        XCTAssertEqual(try JournalFile.read(path: path).records.count, 1)
    }

    func testCRC32CKnownAnswer() {
        // RFC 3720 test vector: 32 bytes of zeros.
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
    }
}
