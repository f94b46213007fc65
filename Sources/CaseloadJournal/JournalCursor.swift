import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a journal's records in file order, a chunk at a time, so a large journal is never
/// held in memory whole and no record is copied out of the read buffer. Stops at the end of
/// the file or at the first bytes that are not a valid record: what to make of damage is the
/// caller's business (the whole-file `JournalScanner` describes it exactly).
final class JournalCursor {
    let path: String
    fileprivate let fd: Int32
    private var buffer: [UInt8]
    /// File offset of `buffer[0]`, and how many bytes of the buffer hold file data.
    private var bufferOffset: Int
    private var filled = 0
    /// File offset where the next record starts.
    private(set) var offset: Int
    /// The record `next()` last returned: its file offset, stored CRC and payload in `buffer`.
    private(set) var recordOffset = -1
    private(set) var recordCRC: UInt32 = 0
    /// Whether that record is marked "more records of the same write follow".
    private(set) var recordContinues = false
    private var payload: Range<Int> = 0..<0
    /// Set when `next()` stopped at bytes that are not a valid record (rather than at the end).
    private(set) var stoppedAtDamage = false

    static let chunkSize = 1 << 20

    /// False only for a quick look that is checked again later (see `StreamingFold.undoTargets`).
    private let checksums: Bool

    /// Opens `path` for reading from `offset` (a record boundary).
    init(path: String, from offset: Int, checksums: Bool = true) throws {
        self.path = path
        self.checksums = checksums
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw JournalError.io(path: path, operation: "opening", errno: errno) }
        self.offset = offset
        bufferOffset = offset
        buffer = [UInt8](repeating: 0, count: JournalCursor.chunkSize)
    }

    deinit { closeDescriptor(fd) }

    /// Advances to the next valid record; false at the end of the file or at damage.
    func next() throws -> Bool {
        let header = JournalFormat.recordHeaderSize
        guard try ensure(header) else { return false }
        let start = offset - bufferOffset
        let word = buffer.withUnsafeBytes { JournalFormat.readLE($0, start) }
        guard let length = JournalFormat.plausibleLength(word), try ensure(header + length) else {
            stoppedAtDamage = true
            return false
        }
        let at = offset - bufferOffset
        let valid = !checksums || buffer.withUnsafeBytes { JournalFormat.checksumMatches(UnsafeRawBufferPointer(rebasing: $0[at..<at + header + length])) }
        guard valid else {
            stoppedAtDamage = true
            return false
        }
        recordOffset = offset
        recordContinues = word & JournalFormat.continuesFlag != 0
        recordCRC = buffer.withUnsafeBytes { JournalFormat.readLE($0, at + 4) }
        payload = at + header..<at + header + length
        offset += header + length
        return true
    }

    /// The current record's payload, valid only inside `body`.
    func withPayload<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[payload])) }
    }

    /// Makes `count` bytes from `offset` available in the buffer; false when the file ends first
    /// (which counts as damage unless the file ended exactly at `offset`).
    private func ensure(_ count: Int) throws -> Bool {
        if offset + count <= bufferOffset + filled { return true }
        // Slide the unread bytes to the front and read more behind them.
        let keep = bufferOffset + filled - offset
        if keep > 0 {
            let from = offset - bufferOffset
            buffer.withUnsafeMutableBytes { p in
                p.baseAddress!.copyMemory(from: p.baseAddress! + from, byteCount: keep)
            }
        }
        bufferOffset = offset
        filled = max(0, keep)
        if buffer.count < count { buffer.append(contentsOf: [UInt8](repeating: 0, count: count - buffer.count)) }
        while filled < count {
            let room = buffer.count - filled
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, room, off_t(bufferOffset + filled)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw JournalError.io(path: path, operation: "reading", errno: errno)
            }
            if n == 0 {
                if filled > 0 { stoppedAtDamage = true }
                return false
            }
            filled += n
        }
        return true
    }
}

extension JournalCursor {
    /// The file's header (read from offset 0, whatever the cursor's position) and its stored
    /// checksum; throws when it is not a valid journal header.
    func header() throws -> (header: JournalFormat.Header, crc: UInt32) {
        var bytes = [UInt8](repeating: 0, count: JournalFormat.headerSize)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, JournalFormat.headerSize, 0) }
        guard n == JournalFormat.headerSize else { throw JournalError.header(path: path, .incomplete) }
        let scan = JournalScanner.scan(Data(bytes))
        if let problem = scan.headerProblem { throw JournalError.header(path: path, problem) }
        return (scan.header!, bytes.withUnsafeBytes { JournalFormat.readLE($0, 28) })
    }
}

/// A journal read one record at a time, in bounded memory: for files too large to read whole
/// (another device's file in a sync folder). Stops at the first bytes that are not a record.
public final class JournalRecordStream {
    private let cursor: JournalCursor
    public let header: JournalFormat.Header

    /// Throws `JournalError.header` when the file does not start as a journal.
    public init(path: String) throws {
        cursor = try JournalCursor(path: path, from: JournalFormat.headerSize)
        header = try cursor.header().header
    }

    /// The next record's payload; nil at the end of the file or at damage (see `stoppedAtDamage`).
    public func next() throws -> Data? {
        guard try cursor.next() else { return nil }
        return cursor.withPayload { Data($0) }
    }

    /// Whether reading stopped at bytes that are not a valid record, and where they start.
    public var stoppedAtDamage: Bool { cursor.stoppedAtDamage }
    public var offset: Int { cursor.offset }
}
