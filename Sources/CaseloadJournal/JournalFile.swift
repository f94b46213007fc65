import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum JournalError: Error, Equatable, CustomStringConvertible {
    case locked(path: String)
    case middleDamage(path: String, offset: Int)
    case header(path: String, JournalHeaderProblem)
    case io(path: String, operation: String, errno: Int32)
    case wrongDevice(path: String)

    public var description: String {
        switch self {
        case .locked(let path):
            return "the journal \(path) is open in another caseload process (the app or a command); close it and try again"
        case let .middleDamage(path, offset):
            return "the journal \(path) is damaged at byte \(offset) with valid records after it; nothing was written. Run `caseload verify` and keep a copy of the file"
        case let .header(path, problem):
            switch problem {
            case .incomplete: return "the journal \(path) has an incomplete header"
            case .notAJournal: return "\(path) is not a caseload journal"
            case .checksumMismatch: return "the journal header of \(path) is damaged (checksum mismatch)"
            case .futureVersion(let v): return "the journal \(path) is format version \(v), newer than this caseload understands; update caseload"
            }
        case let .io(path, operation, code):
            return "\(operation) \(path) failed: \(String(cString: strerror(code)))"
        case .wrongDevice(let path):
            return "the journal \(path) belongs to another device"
        }
    }
}

/// One device's journal, open for appending. Holds an exclusive `flock` for its lifetime so a
/// second writer is kept out; every append is one `write` of whole records followed by `fsync`.
public final class JournalFile {
    public let path: String
    public let device: UUID
    private var fd: Int32
    /// Where the next record goes: the end of the valid data.
    public private(set) var endOffset: Int
    /// What opening found and did (a torn tail set aside), for the caller to tell the user.
    public private(set) var recovery: JournalRecovery?
    /// The last valid record (its offset, -1 when there is none, and stored checksum) and the
    /// header's stored checksum: what a snapshot records to recognise this file later.
    public private(set) var lastRecordOffset = -1
    public private(set) var lastRecordCRC: UInt32 = 0
    public private(set) var headerCRC: UInt32 = 0
    /// Whether a write of several records marks them as one (see `JournalFormat`), so a crash
    /// inside it drops it whole. The store's own journals do; a shared folder's file keeps the
    /// plain framing that earlier versions on colleagues' devices read.
    public var marksBatches = false

    /// Opens (creating with mode 0600 if absent) the journal for `device` at `path`.
    /// A torn tail is moved to a side file and cut off; damage in the middle refuses.
    /// `trusted` is what a snapshot says was read before: if that record is still there,
    /// intact, only the bytes after it are checked (`caseload verify` checks everything).
    init(path: String, device: UUID, now: Date = Date(), trusted: FileCoverage?) throws {
        self.path = path
        self.device = device
        // No-follow: a journal is never a link, and writing (or chmod) through one would
        // change a file that is not ours.
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw JournalError.io(path: path, operation: "opening", errno: errno) }
        endOffset = 0
        do {
            try lock()
            _ = fchmod(fd, 0o600)
            if try !prepareQuickly(trusted: trusted) { try prepare(now: now) }
        } catch {
            closeDescriptor(fd)
            fd = -1
            throw error
        }
    }

    public convenience init(path: String, device: UUID, now: Date = Date()) throws {
        try self.init(path: path, device: device, now: now, trusted: nil)
    }

    deinit { if fd >= 0 { closeDescriptor(fd) } }

    public func close() {
        if fd >= 0 { closeDescriptor(fd) }
        fd = -1
    }

    private func lock() throws {
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EWOULDBLOCK { throw JournalError.locked(path: path) }
            throw JournalError.io(path: path, operation: "locking", errno: errno)
        }
    }

    /// The usual case, without reading the whole file into memory: a valid header and valid
    /// records to the end (checked a chunk at a time, from the trusted end when there is one).
    /// False when anything needs the careful path below (a new file, a torn tail, damage).
    private func prepareQuickly(trusted: FileCoverage?) throws -> Bool {
        let cursor = try JournalCursor(path: path, from: JournalFormat.headerSize)
        guard let (header, crc) = try? cursor.header(), header.device == device else { return false }
        var start = JournalFormat.headerSize
        if let trusted, trusted.headerCRC == crc, trusted.stillMatches(path: path) {
            start = trusted.end
            lastRecordOffset = trusted.lastRecordOffset
            lastRecordCRC = trusted.lastRecordCRC
        }
        let records = try JournalCursor(path: path, from: start)
        var endsInsideABatch = false
        while try records.next() {
            lastRecordOffset = records.recordOffset
            lastRecordCRC = records.recordCRC
            endsInsideABatch = records.recordContinues
        }
        guard !records.stoppedAtDamage, !endsInsideABatch else {
            lastRecordOffset = -1
            return false
        }
        headerCRC = crc
        endOffset = records.offset
        return true
    }

    private func prepare(now: Date) throws {
        let data = try JournalFile.readAll(fd: fd, path: path)
        var scan = JournalScanner.scan(data)
        if scan.headerProblem == .incomplete && scan.records.isEmpty {
            // Creation was cut short before any record: nothing was ever acknowledged here.
            if !data.isEmpty { try setAside(data, from: 0, reason: "incomplete-header", now: now) }
            try truncate(to: 0)
            try writeAll(JournalFormat.encodeHeader(device: device))
            try sync()
            try JournalFile.syncDirectory(of: path)
            scan = JournalScanner.scan(Data(JournalFormat.encodeHeader(device: device)))
        }
        if let problem = scan.headerProblem { throw JournalError.header(path: path, problem) }
        guard scan.header?.device == device else { throw JournalError.wrongDevice(path: path) }
        if let batch = scan.interruptedBatch {
            // Never acknowledged (the fsync did not return): dropped whole, kept in a side file.
            let sidePath = try setAside(data, from: batch.lowerBound, reason: "interrupted-write", now: now)
            try truncate(to: batch.lowerBound)
            try sync()
            let dropped = scan.records.filter { $0.offset >= batch.lowerBound }.count
            recovery = JournalRecovery(damage: JournalDamage(range: batch, isTail: true), sideFile: sidePath, droppedWriteRecords: dropped)
            scan.records.removeAll { $0.offset >= batch.lowerBound }
            scan.damage.removeAll { $0.range.upperBound > batch.lowerBound }
            scan.fileSize = batch.lowerBound
        }
        if let firstMiddle = scan.damage.first(where: { !$0.isTail }) {
            throw JournalError.middleDamage(path: path, offset: firstMiddle.range.lowerBound)
        }
        if let tail = scan.tornTail {
            let sidePath = try setAside(data, from: tail.range.lowerBound, reason: "torn-tail", now: now)
            try truncate(to: tail.range.lowerBound)
            try sync()
            recovery = JournalRecovery(damage: tail, sideFile: sidePath)
            scan.damage.removeLast()
            scan.fileSize = tail.range.lowerBound
        }
        endOffset = scan.validEnd
        // The header as it is now on disk (a cut-short file was just given a new one).
        let header = data.count >= JournalFormat.headerSize ? [UInt8](data.prefix(JournalFormat.headerSize)) : JournalFormat.encodeHeader(device: device)
        headerCRC = header.withUnsafeBytes { JournalFormat.readLE($0, 28) }
        if let last = scan.records.last {
            lastRecordOffset = last.offset
            lastRecordCRC = data.withUnsafeBytes { JournalFormat.readLE($0, last.offset + 4) }
        }
    }

    /// Copies damaged bytes to `<journal>.<reason>-<time>` before they are cut off: nothing is
    /// ever discarded, only moved where it cannot be mistaken for records.
    @discardableResult
    private func setAside(_ data: Data, from offset: Int, reason: String, now: Date) throws -> String {
        let stamp = Int(now.timeIntervalSince1970 * 1000)
        let side = "\(path).\(reason)-\(stamp)"
        let sfd = open(side, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard sfd >= 0 else { throw JournalError.io(path: side, operation: "creating", errno: errno) }
        defer { closeDescriptor(sfd) }
        let bytes = [UInt8](data[offset...])
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(sfd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw JournalError.io(path: side, operation: "writing", errno: errno)
            }
            written += n
        }
        guard fsync(sfd) == 0 else { throw JournalError.io(path: side, operation: "syncing", errno: errno) }
        try JournalFile.syncDirectory(of: side)
        return side
    }

    /// Appends events' payloads as records: one write, then fsync. When this returns, they are
    /// on disk; if it throws, the file is cut back to where it was, so no half record remains.
    public func append(_ payloads: [Data]) throws {
        try append { write in try write(payloads, true) }
    }

    /// Appends one write handed over in pieces (`write(payloads, isLast)`, the last piece
    /// saying so): each piece's records go to the file as they come, a megabyte at a time, and
    /// the whole write is fsynced once at the end. A write of a whole imported caseload is then
    /// never held in memory as one buffer. It is all or nothing as a single piece is: every
    /// record but the write's last is marked "more follows", so a crash part way leaves an
    /// interrupted write that the next open sets aside; if anything throws (here or in
    /// `pieces`), the file is cut back to where it was.
    public func append(pieces: (_ write: (_ payloads: [Data], _ isLast: Bool) throws -> Void) throws -> Void) throws {
        let start = endOffset
        var offset = start
        var sawLast = false, endsMarked = false
        var lastOffset = lastRecordOffset, lastCRC = lastRecordCRC
        var buffer: [UInt8] = []
        do {
            try pieces { payloads, isLast in
                precondition(!sawLast, "a journal write has one last piece")
                sawLast = isLast
                for (i, p) in payloads.enumerated() {
                    let recordStart = buffer.count
                    endsMarked = marksBatches && !(isLast && i == payloads.count - 1)
                    JournalFormat.encodeRecord(p, continues: endsMarked, into: &buffer)
                    lastOffset = offset + recordStart
                    lastCRC = buffer.withUnsafeBytes { JournalFormat.readLE($0, recordStart + 4) }
                    if buffer.count >= JournalFile.pieceBytes || (isLast && i == payloads.count - 1) {
                        try writeAll(buffer, at: offset)
                        offset += buffer.count
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
            }
            // A write whose last piece never came: its records would read as a write cut short.
            guard buffer.isEmpty, !endsMarked else { throw JournalError.io(path: path, operation: "writing (a write without its end)", errno: EINVAL) }
            if offset > start { try sync() }
        } catch {
            _ = ftruncate(fd, off_t(start))
            _ = fsync(fd)
            throw error
        }
        endOffset = offset
        lastRecordOffset = lastOffset
        lastRecordCRC = lastCRC
    }

    /// How much of a write is gathered before it goes to the file.
    static let pieceBytes = 1 << 20

    private func writeAll(_ bytes: [UInt8], at offset: Int? = nil) throws {
        var written = 0
        let base = offset ?? 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + written, bytes.count - written, off_t(base + written)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw JournalError.io(path: path, operation: "writing", errno: errno)
            }
            written += n
        }
    }

    private func sync() throws {
        guard fsync(fd) == 0 else { throw JournalError.io(path: path, operation: "syncing", errno: errno) }
    }

    private func truncate(to size: Int) throws {
        guard ftruncate(fd, off_t(size)) == 0 else { throw JournalError.io(path: path, operation: "truncating", errno: errno) }
    }

    // MARK: Reading without a lock

    /// Reads a journal's bytes without locking: readers (reports, `overdue`) never block the
    /// writer. A record being appended right now shows up as a torn tail and is ignored.
    /// With `followLinks: false` a link is refused (a file in a shared folder is read only
    /// if it is the regular file it was checked to be).
    public static func read(path: String, followLinks: Bool = true) throws -> JournalScan {
        let fd = open(path, O_RDONLY | O_CLOEXEC | (followLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { throw JournalError.io(path: path, operation: "opening", errno: errno) }
        defer { closeDescriptor(fd) }
        return JournalScanner.scan(try readAll(fd: fd, path: path))
    }

    /// Scans a journal without holding it in memory: the file is read a window at a time and
    /// each record handed to `record` in turn (its bytes valid only during the call), so memory
    /// stays bounded whatever the file's size (`caseload verify` of a 627 MB journal). Reading
    /// with pread rather than a mapping keeps that bound the same on every kernel and file
    /// system. The result has no `records`, only what was found.
    public static func visit(path: String, record: (Int, UnsafeRawBufferPointer) -> Void) throws -> JournalScan {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw JournalError.io(path: path, operation: "opening", errno: errno) }
        defer { closeDescriptor(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw JournalError.io(path: path, operation: "reading", errno: errno) }
        var source = BytesFromFile(fd: fd, size: Int(st.st_size))
        let scan = JournalScanner.visit(&source, record: record)
        if let failed = source.readError { throw JournalError.io(path: path, operation: "reading", errno: failed) }
        return scan
    }

    static func readAll(fd: Int32, path: String) throws -> Data {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw JournalError.io(path: path, operation: "reading", errno: errno) }
        var data = Data(count: Int(st.st_size))
        var done = 0
        let total = data.count
        try data.withUnsafeMutableBytes { buf in
            while done < total {
                let n = pread(fd, buf.baseAddress! + done, total - done, off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw JournalError.io(path: path, operation: "reading", errno: errno)
                }
                if n == 0 { break }
                done += n
            }
        }
        if done < total { data.removeSubrange(done..<total) }
        return data
    }

    /// A new file's directory entry must be durable too, or a crash can lose the whole file.
    static func syncDirectory(of path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { return }
        _ = fsync(dfd)
        closeDescriptor(dfd)
    }
}

/// A torn tail found and set aside when the journal was opened.
public struct JournalRecovery: Sendable, Equatable {
    public var damage: JournalDamage
    public var sideFile: String
    /// Set when what was dropped is a write of several records (an import, a sync pull) cut
    /// short: how many of its records were readable (none of them was kept).
    public var droppedWriteRecords: Int?

    public init(damage: JournalDamage, sideFile: String, droppedWriteRecords: Int? = nil) {
        self.damage = damage; self.sideFile = sideFile; self.droppedWriteRecords = droppedWriteRecords
    }

    public var message: String {
        if let dropped = droppedWriteRecords {
            return "the last save of many records at once (an import, or the changes a sync brought in) was cut short by a crash before it finished, so none of it was kept (\(dropped) readable record(s), \(damage.range.count) bytes, moved to \(sideFile)); everything saved before it is intact. Run that import or sync again"
        }
        return "the journal's last record was incomplete (\(damage.range.count) bytes at byte \(damage.range.lowerBound), most likely a crash mid-save); those bytes were moved to \(sideFile) and everything saved before them is intact"
    }
}

/// `close(2)`, named so it does not collide with `JournalFile.close()`.
func closeDescriptor(_ fd: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(fd)
    #else
    _ = Darwin.close(fd)
    #endif
}
