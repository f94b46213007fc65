import Foundation
import CaseloadCore

/// The journal's on-disk layout, like LevelDB's log:
///
///     header (32 bytes): magic "CSLDJRNL" | version u16 | flags u16 | device UUID (16) | masked CRC32C of the first 28 bytes
///     record:            length u32 | masked CRC32C over (length bytes + payload) | payload (length bytes)
///
/// Bit 31 of the length word marks a record of a write of several records (an import, a sync
/// pull) that is not its last: a crash inside such a write leaves a run of marked records with
/// no unmarked one after it, which opening drops whole. Journals written before the mark have
/// no record above 16 MiB, so the bit is never set in them and they read as before.
///
/// Little endian. A payload is one event as compact JSON with sorted keys; in an encrypted
/// caseload its body is sealed (`EventSealer`: the envelope keys stay where they are). The
/// header's `encrypted` flag is reserved and not set: a record says itself whether it is sealed.
public enum JournalFormat {
    public static let magic: [UInt8] = Array("CSLDJRNL".utf8)
    public static let version: UInt16 = 1
    public static let headerSize = 32
    public static let recordHeaderSize = 8
    /// A length above this is damage, not a record: no event is anywhere near 16 MiB.
    public static let maxPayload = RecordLimits.readerMaxRecord

    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        public static let encrypted = Flags(rawValue: 1)
    }

    public struct Header: Equatable, Sendable {
        public var version: UInt16
        public var flags: Flags
        public var device: UUID
        public static func == (a: Header, b: Header) -> Bool {
            a.version == b.version && a.flags.rawValue == b.flags.rawValue && a.device == b.device
        }
    }

    public static func encodeHeader(device: UUID, flags: Flags = []) -> [UInt8] {
        var b = magic
        appendLE(&b, UInt32(version) | UInt32(flags.rawValue) << 16)
        withUnsafeBytes(of: device.uuid) { b.append(contentsOf: $0) }
        appendLE(&b, CRC32C.mask(CRC32C.checksum(b)))
        return b
    }

    /// Set in the length word of every record of a multi-record write but its last.
    public static let continuesFlag: UInt32 = 1 << 31

    public static func encodeRecord(_ payload: Data, continues: Bool = false, into out: inout [UInt8]) {
        var lengthBytes: [UInt8] = []
        appendLE(&lengthBytes, UInt32(payload.count) | (continues ? continuesFlag : 0))
        let crc = payload.withUnsafeBytes { CRC32C.checksum($0, seed: CRC32C.checksum(lengthBytes)) }
        out.append(contentsOf: lengthBytes)
        appendLE(&out, CRC32C.mask(crc))
        out.append(contentsOf: payload)
    }

    /// The payload length a record's length word gives, or nil when no record could have it
    /// (zero, or over `maxPayload`): one rule for every reader, whole-file or streaming.
    static func plausibleLength(_ word: UInt32) -> Int? {
        let length = Int(word & ~continuesFlag)
        return length > 0 && length <= maxPayload ? length : nil
    }

    /// Whether a whole record (its 8-byte header and payload) carries the checksum it states.
    static func checksumMatches(_ record: UnsafeRawBufferPointer) -> Bool {
        let stored = readLE(record, 4)
        let seed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: record[0..<4]))
        return CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: record[recordHeaderSize...]), seed: seed)) == stored
    }

    static func appendLE(_ b: inout [UInt8], _ v: UInt32) {
        b.append(UInt8(v & 0xFF)); b.append(UInt8((v >> 8) & 0xFF))
        b.append(UInt8((v >> 16) & 0xFF)); b.append(UInt8(v >> 24))
    }

    static func readLE(_ p: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(p[at]) | UInt32(p[at + 1]) << 8 | UInt32(p[at + 2]) << 16 | UInt32(p[at + 3]) << 24
    }
}

/// A stretch of the file that is not a valid record.
public struct JournalDamage: Equatable, Sendable, CustomStringConvertible {
    /// Byte offsets in the file.
    public var range: Range<Int>
    /// True when nothing valid follows: the writer died mid-record (a torn write).
    public var isTail: Bool

    public var description: String {
        isTail
            ? "incomplete or damaged last record at byte \(range.lowerBound) (\(range.count) bytes)"
            : "damaged bytes \(range.lowerBound)..<\(range.upperBound) followed by valid records"
    }
}

public enum JournalHeaderProblem: Equatable, Sendable {
    /// Shorter than a header: a file whose creation was cut short (nothing was ever saved in it).
    case incomplete
    case notAJournal
    case checksumMismatch
    case futureVersion(UInt16)
}

/// What a scan of a journal's bytes found: every valid record, and every damaged stretch.
public struct JournalScan: Sendable {
    public var header: JournalFormat.Header?
    public var headerProblem: JournalHeaderProblem?
    /// Each valid record's payload with its offset in the file.
    public var records: [(offset: Int, payload: Data)]
    public var damage: [JournalDamage]
    public var fileSize: Int

    /// Where the valid data ends: a writer appends here after setting a torn tail aside.
    public var validEnd: Int {
        if let tail = damage.last, tail.isTail { return tail.range.lowerBound }
        return fileSize
    }

    /// A write of several records that a crash cut short (marked records with no last one,
    /// around or before any damage): from its first record to the end of the file.
    public var interruptedBatch: Range<Int>?

    public var hasMiddleDamage: Bool { damage.contains { !$0.isTail } }
    public var tornTail: JournalDamage? { damage.last.flatMap { $0.isTail ? $0 : nil } }
}

public enum JournalScanner {
    /// Scans a whole journal. Pure: works on bytes, so every failure path is testable in memory.
    /// Never trusts a length whose checksum failed: after a bad record it looks for the next
    /// offset where a valid record starts; if there is one, the damage is in the middle.
    public static func scan(_ data: Data) -> JournalScan {
        data.withUnsafeBytes { scan($0) }
    }

    public static func scan(_ p: UnsafeRawBufferPointer) -> JournalScan {
        var records: [(offset: Int, payload: Data)] = []
        var result = visit(p) { offset, payload in records.append((offset, Data(payload))) }
        result.records = records
        return result
    }

    /// The same scan, handing each valid record's payload (valid only during the call) to
    /// `record` instead of keeping a copy: the result's `records` stays empty.
    public static func visit(_ p: UnsafeRawBufferPointer, record: (Int, UnsafeRawBufferPointer) -> Void) -> JournalScan {
        var bytes = BytesInMemory(p)
        return visit(&bytes, record: record)
    }

    /// The scan over any source of the journal's bytes: a buffer in memory, or a file read a
    /// window at a time (`JournalFile.visit`), so the same rules find the same records and damage.
    static func visit<Source: JournalBytes>(_ source: inout Source, record: (Int, UnsafeRawBufferPointer) -> Void) -> JournalScan {
        let size = source.count
        var result = JournalScan(header: nil, headerProblem: nil, records: [], damage: [], fileSize: size, interruptedBatch: nil)
        guard size >= JournalFormat.headerSize else {
            let n = min(size, JournalFormat.magic.count)
            let p = source.bytes(0..<n)
            result.headerProblem = p.elementsEqual(JournalFormat.magic.prefix(n)) ? .incomplete : .notAJournal
            return result
        }
        let p = source.bytes(0..<JournalFormat.headerSize)
        guard p.prefix(8).elementsEqual(JournalFormat.magic) else {
            result.headerProblem = .notAJournal
            return result
        }
        let stored = JournalFormat.readLE(p, 28)
        guard CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: p[0..<28]))) == stored else {
            result.headerProblem = .checksumMismatch
            return result
        }
        let vf = JournalFormat.readLE(p, 8)
        let version = UInt16(vf & 0xFFFF)
        guard version <= JournalFormat.version else {
            result.headerProblem = .futureVersion(version)
            return result
        }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: p[12..<28])) }
        result.header = .init(version: version, flags: .init(rawValue: UInt16(vf >> 16)), device: UUID(uuid: uuid))

        var offset = JournalFormat.headerSize
        // Bytes the search for the next record after damage may checksum. Real damage costs
        // little (few offsets there hold a plausible length); a file crafted so that every
        // offset does would otherwise cost its size squared.
        var resyncBudget = resyncBudgetFactor * size + resyncBudgetBase
        var batch = BatchTracker()
        while offset < size {
            if let length = validRecordLength(&source, at: offset) {
                let start = offset + JournalFormat.recordHeaderSize
                // The record was just checked, so its bytes are at hand in any source.
                let whole = source.bytes(offset..<start + length)
                batch.record(at: offset, continues: JournalFormat.readLE(whole, 0) & JournalFormat.continuesFlag != 0)
                record(offset, UnsafeRawBufferPointer(rebasing: whole[JournalFormat.recordHeaderSize...]))
                offset = start + length
                continue
            }
            var next = offset + 1
            while next < size, validRecordLength(&source, at: next, budget: &resyncBudget) == nil { next += 1 }
            batch.damage(at: offset)
            guard resyncBudget >= 0 else {
                // Crafted to make every offset look like a long record: the rest is damage
                // (never a torn tail to cut off), found in linear time, not quadratic.
                result.damage.append(JournalDamage(range: offset..<size, isTail: false))
                break
            }
            result.damage.append(JournalDamage(range: offset..<next, isTail: next >= size))
            offset = next
        }
        result.interruptedBatch = batch.interrupted(fileSize: size)
        return result
    }

    /// Finds a multi-record write that a crash cut short. Such a write is the last thing in the
    /// file (nothing is appended before it is on disk), so: from the first damage on, every
    /// record is marked "more follows" except at most the very last one of the file, and the
    /// write had begun before the damage (a marked record just before it) or shows marked
    /// records after it. A single-record write cut short stays an ordinary torn tail.
    struct BatchTracker {
        /// Where the current run of marked records began (nil after an unmarked record).
        var openRun: Int?
        var firstDamage: Int?
        var openRunAtDamage: Int?
        var markedAfterDamage = 0
        var unmarkedAfterDamage = 0
        /// Whether the last thing seen was an unmarked record (it must then be the file's last).
        var lastWasUnmarked = false

        mutating func record(at offset: Int, continues: Bool) {
            if continues { if openRun == nil { openRun = offset } } else { openRun = nil }
            if firstDamage != nil { if continues { markedAfterDamage += 1 } else { unmarkedAfterDamage += 1 } }
            lastWasUnmarked = !continues
        }

        mutating func damage(at offset: Int) {
            if firstDamage == nil { firstDamage = offset; openRunAtDamage = openRun }
            lastWasUnmarked = false
        }

        func interrupted(fileSize: Int) -> Range<Int>? {
            guard let firstDamage else { return openRun.map { $0..<fileSize } }
            let endsInOneUnmarked = unmarkedAfterDamage == 0 || (unmarkedAfterDamage == 1 && lastWasUnmarked)
            guard endsInOneUnmarked, openRunAtDamage != nil || markedAfterDamage > 0 else { return nil }
            return (openRunAtDamage ?? firstDamage)..<fileSize
        }
    }

    /// Checksummed bytes allowed while looking for a record after damage: this many per byte
    /// of the file, plus the base.
    static let resyncBudgetFactor = 4
    static let resyncBudgetBase = JournalFormat.maxPayload

    /// The payload length when a valid record starts at `offset`.
    static func validRecordLength(_ p: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        var bytes = BytesInMemory(p)
        return validRecordLength(&bytes, at: offset)
    }

    static func validRecordLength<Source: JournalBytes>(_ source: inout Source, at offset: Int) -> Int? {
        var unlimited = Int.max
        return validRecordLength(&source, at: offset, budget: &unlimited)
    }

    /// The same, spending the bytes checksummed from `budget`; once that would go below zero
    /// it is set negative and nothing more is checked.
    static func validRecordLength<Source: JournalBytes>(_ source: inout Source, at offset: Int, budget: inout Int) -> Int? {
        guard source.count - offset >= JournalFormat.recordHeaderSize, budget >= 0 else { return nil }
        guard let length = JournalFormat.plausibleLength(JournalFormat.readLE(source.bytes(offset..<offset + 4), 0)),
              length <= source.count - offset - JournalFormat.recordHeaderSize else { return nil }
        budget -= length
        guard budget >= 0 else { return nil }
        return JournalFormat.checksumMatches(source.bytes(offset..<offset + JournalFormat.recordHeaderSize + length)) ? length : nil
    }
}

/// Where the scanner gets a journal's bytes: asked for one range at a time, each at most one
/// record long, almost always at or after the last one asked for.
protocol JournalBytes {
    var count: Int { get }
    /// The bytes of `range` (inside `0..<count`), valid until the next call.
    mutating func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer
}

/// A whole journal already in memory.
struct BytesInMemory: JournalBytes {
    let p: UnsafeRawBufferPointer
    init(_ p: UnsafeRawBufferPointer) { self.p = p }
    var count: Int { p.count }
    func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: p[range]) }
}

/// A journal file read through a window of two records' maximum size: memory stays the same
/// whatever the file's size, and every byte is read at most twice (a window is refilled from
/// the range asked for, which is at least half a window past the last refill).
final class BytesFromFile: JournalBytes {
    let fd: Int32
    let count: Int
    private var window: UnsafeMutableRawBufferPointer
    private var windowStart = 0
    private var windowCount = 0
    /// The first read that failed (its bytes were taken as zeros, so they fail their checksum).
    private(set) var readError: Int32?

    static let defaultWindow = 2 * (JournalFormat.maxPayload + JournalFormat.recordHeaderSize)

    /// `window` is the bytes held at once (tests make it small to cross many refills); a range
    /// longer than it grows it.
    init(fd: Int32, size: Int, window capacity: Int = BytesFromFile.defaultWindow) {
        self.fd = fd
        self.count = size
        window = .allocate(byteCount: max(min(size, capacity), 1), alignment: 16)
    }

    deinit { window.deallocate() }

    func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        if range.count > window.count {
            window.deallocate()
            window = .allocate(byteCount: range.count, alignment: 16)
            windowCount = 0
        }
        if range.lowerBound < windowStart || range.upperBound > windowStart + windowCount { refill(from: range.lowerBound) }
        return UnsafeRawBufferPointer(rebasing: window[(range.lowerBound - windowStart)..<(range.upperBound - windowStart)])
    }

    private func refill(from start: Int) {
        let want = min(window.count, count - start)
        var done = 0
        while done < want {
            let n = pread(fd, window.baseAddress! + done, want - done, off_t(start + done))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                // Failed, or the file shrank under us: the rest reads as zeros (never valid).
                if n < 0, readError == nil { readError = errno }
                memset(window.baseAddress! + done, 0, want - done)
                break
            }
            done += n
        }
        windowStart = start
        windowCount = want
    }

}
