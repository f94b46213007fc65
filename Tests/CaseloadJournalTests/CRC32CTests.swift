import CaseloadCore
@testable import CaseloadJournal
import XCTest

/// The processor's CRC32C instruction must give exactly the table-driven value: on known
/// answers, every short length at every alignment, random buffers and seeds, and chained calls.
final class CRC32CTests: XCTestCase {
    func hardwareOrSkip(_ bytes: [UInt8], seed: UInt32 = 0) throws -> UInt32 {
        guard let v = bytes.withUnsafeBytes({ CRC32C.hardwareChecksum($0, seed: seed) }) else {
            throw XCTSkip("this processor has no CRC32C instruction: the tables are used")
        }
        return v
    }

    func software(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { CRC32C.softwareChecksum($0, seed: seed) }
    }

    func testKnownAnswersBothWays() throws {
        let zeros = [UInt8](repeating: 0, count: 32), ones = [UInt8](repeating: 0xFF, count: 32)
        let rising = (0..<32).map { UInt8($0) }, digits = Array("123456789".utf8)
        // RFC 3720, B.4, and the usual check value.
        for (bytes, want) in [(zeros, 0x8A91_36AA), (ones, 0x62A8_AB43), (rising, 0x46DD_794E), (digits, 0xE306_9283)] as [([UInt8], UInt32)] {
            XCTAssertEqual(software(bytes), want)
            XCTAssertEqual(CRC32C.checksum(bytes), want)
            XCTAssertEqual(try hardwareOrSkip(bytes), want)
        }
        XCTAssertEqual(software([]), 0)
        XCTAssertEqual(try hardwareOrSkip([]), 0)
        XCTAssertEqual(try hardwareOrSkip([], seed: 0xDEAD_BEEF), 0xDEAD_BEEF)
    }

    func testEveryShortLengthAtEveryAlignmentAgrees() throws {
        var rng = SeededRandom(seed: 32)
        let buffer = (0..<200).map { _ in UInt8.random(in: 0...255, using: &rng) }
        for start in 0..<16 {
            for length in 0...80 {
                let slice = Array(buffer[start..<(start + length)])
                XCTAssertEqual(try hardwareOrSkip(slice), software(slice), "offset \(start), length \(length)")
                // Unaligned straight from the buffer, as the journal reader checksums records in place.
                let inPlace = buffer.withUnsafeBytes { CRC32C.hardwareChecksum(UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)])) }
                XCTAssertEqual(inPlace, software(slice))
            }
        }
    }

    func testRandomBuffersSeedsAndChainingAgree() throws {
        var rng = SeededRandom(seed: 2026)
        for round in 0..<300 {
            let length = round < 200 ? rng.int(0...600) : rng.int(0...300_000)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let seed = rng.chance(0.5) ? 0 : UInt32.random(in: 0...UInt32.max, using: &rng)
            let want = software(bytes, seed: seed)
            XCTAssertEqual(try hardwareOrSkip(bytes, seed: seed), want, "length \(length)")
            XCTAssertEqual(CRC32C.checksum(bytes, seed: seed), want)
            // In two pieces, the first's value seeding the second, as the snapshot file does.
            let cut = length == 0 ? 0 : rng.int(0...length)
            let first = try hardwareOrSkip(Array(bytes[..<cut]), seed: seed)
            XCTAssertEqual(try hardwareOrSkip(Array(bytes[cut...]), seed: first), want)
        }
        // Long runs of one byte, where a table slip would hide.
        for b in [0x00, 0xFF, 0x80, 0x01] as [UInt8] {
            let bytes = [UInt8](repeating: b, count: 1 << 20)
            XCTAssertEqual(try hardwareOrSkip(bytes), software(bytes))
        }
    }
}
