import Foundation
import CaseloadCore
import CaseloadCrypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How far a snapshot's state has read one journal file, and enough about that file to notice
/// when it is no longer the file that was read (replaced, truncated, recovered).
struct FileCoverage: Equatable, Sendable {
    /// The file's name in `journal/`.
    var name: String
    /// The stored checksum of the file's header: a different device or format changes it.
    var headerCRC: UInt32
    /// Where the records read end.
    var end: Int
    /// The last record read (-1 when none): it must still be there, intact, ending at `end`.
    var lastRecordOffset: Int
    var lastRecordCRC: UInt32

    /// Whether the file at `path` still holds, unchanged, what this coverage says was read.
    func stillMatches(path: String) -> Bool {
        guard let cursor = try? JournalCursor(path: path, from: 0), let header = try? cursor.header(),
              header.crc == headerCRC else { return false }
        if lastRecordOffset < 0 { return end == JournalFormat.headerSize }
        guard let last = try? JournalCursor(path: path, from: lastRecordOffset), (try? last.next()) == true else { return false }
        return last.recordCRC == lastRecordCRC && last.offset == end
    }
}

/// `<data>/snapshot.bin`: the folded state and how much of each journal it covers, so opening
/// folds only what was appended since. A cache, never a source of truth: anything odd about it
/// (another version, a checksum that fails, a journal that changed under it) and it is ignored,
/// the journals are folded in full, and a new one is written. Deleting it is always safe.
///
///     magic "CSLDSNAP" | version u32 | device UUID | own last seq u64
///     file count u32, per file: name | header CRC u32 | end u64 | last record offset i64 | its CRC u32
///     state (`StateSnapshot`) | state length u64 | masked CRC32C of everything before it
struct SnapshotFile: Sendable {
    static let name = "snapshot.bin"
    static let magic = Array("CSLDSNAP".utf8)
    static let version: UInt32 = 1

    var device: UUID
    var lastSeq: UInt64
    var coverage: [FileCoverage]
    var state: CaseloadState

    static func path(in dir: URL) -> String { dir.appendingPathComponent(name).path }

    /// An encrypted caseload's snapshot: the same bytes sealed whole (`EventSealer.sealFile`),
    /// under another name so neither kind is ever taken for the other.
    static let sealedName = "snapshot.sealed"

    static func sealedContext(_ device: UUID) -> [UInt8] {
        var b = Array("caseload snapshot 1 ".utf8)
        withUnsafeBytes(of: device.uuid) { b.append(contentsOf: $0) }
        return b
    }

    /// Nil unless the sealed snapshot opens with these keys for this device and is intact.
    static func read(in dir: URL, sealer: EventSealer, device: UUID) -> SnapshotFile? {
        guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(sealedName).path),
              let plain = data.withUnsafeBytes({ sealer.openFile($0, context: sealedContext(device)) }) else { return nil }
        return plain.withUnsafeBytes { decode($0) }
    }

    @discardableResult
    func save(in dir: URL, sealer: EventSealer) -> Bool {
        let sealed = encoded().withUnsafeBytes { sealer.sealFile($0, context: SnapshotFile.sealedContext(device)) }
        return SnapshotFile.replace(dir.appendingPathComponent(SnapshotFile.sealedName).path) { emit in sealed.withUnsafeBytes(emit) }
    }

    /// Everything before the state: magic, version, device, last seq and the coverage table.
    private func prefix() -> [UInt8] {
        var b = SnapshotFile.magic
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { b.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { b.append(contentsOf: $0) } }
        u32(SnapshotFile.version)
        withUnsafeBytes(of: device.uuid) { b.append(contentsOf: $0) }
        u64(lastSeq)
        u32(UInt32(coverage.count))
        for c in coverage {
            u32(UInt32(c.name.utf8.count)); b.append(contentsOf: c.name.utf8)
            u32(c.headerCRC); u64(UInt64(c.end)); u64(UInt64(bitPattern: Int64(c.lastRecordOffset))); u32(c.lastRecordCRC)
        }
        return b
    }

    /// The whole file, handed to `emit` in pieces (the state is encoded as it is written).
    func encode(emit: (UnsafeRawBufferPointer) -> Void) {
        var crc: UInt32 = 0
        var stateLength: UInt64 = 0
        func out(_ p: UnsafeRawBufferPointer) {
            crc = CRC32C.checksum(p, seed: crc)
            emit(p)
        }
        prefix().withUnsafeBytes(out)
        StateSnapshot.encode(state) { piece in
            stateLength += UInt64(piece.count)
            out(piece)
        }
        withUnsafeBytes(of: stateLength.littleEndian, out)
        withUnsafeBytes(of: CRC32C.mask(crc).littleEndian, emit)
    }

    func encoded() -> [UInt8] {
        var all: [UInt8] = []
        encode { all.append(contentsOf: $0) }
        return all
    }

    /// Nil for anything but an intact snapshot of this format. `consumed` hears how far the
    /// state has been read (see `StateSnapshot.decode`).
    static func decode(_ p: UnsafeRawBufferPointer, consumed: (@Sendable (Range<Int>) -> Void)? = nil) -> SnapshotFile? {
        guard p.count >= magic.count + 16, p.prefix(magic.count).elementsEqual(magic) else { return nil }
        let body = UnsafeRawBufferPointer(rebasing: p[0..<p.count - 4])
        // The checksum is computed on the other core while this one decodes; nothing decoded
        // is returned unless it matches.
        let checksum = BackgroundChecksum(body)
        let stored = JournalFormat.readLE(p, p.count - 4)
        guard let decoded = decodeUnchecked(body, consumed: consumed), CRC32C.mask(checksum.wait()) == stored else {
            _ = checksum.wait()
            return nil
        }
        return decoded
    }

    /// Parses `body` (the file without its checksum), trusting nothing but not the checksum.
    private static func decodeUnchecked(_ body: UnsafeRawBufferPointer, consumed: (@Sendable (Range<Int>) -> Void)?) -> SnapshotFile? {
        var at = magic.count
        func take(_ n: Int) -> UnsafeRawBufferPointer? {
            guard n >= 0, body.count - 8 - at >= n else { return nil }
            defer { at += n }
            return UnsafeRawBufferPointer(rebasing: body[at..<at + n])
        }
        func u32() -> UInt32? { take(4).map { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) } }
        func u64() -> UInt64? { take(8).map { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) } }
        guard u32() == version, let d = take(16), let lastSeq = u64(), let count = u32() else { return nil }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { $0.copyMemory(from: d) }
        var coverage: [FileCoverage] = []
        for _ in 0..<count {
            guard let n = u32(), let name = take(Int(n)), let header = u32(), let end = u64(), let last = u64(), let crc = u32(),
                  end <= UInt64(Int.max) else { return nil }
            coverage.append(FileCoverage(name: String(decoding: name, as: UTF8.self), headerCRC: header, end: Int(end),
                                         lastRecordOffset: Int(Int64(bitPattern: last)), lastRecordCRC: crc))
        }
        // The state runs from here to its length, stored last.
        let length = UInt64(littleEndian: UnsafeRawBufferPointer(rebasing: body[(body.count - 8)...]).loadUnaligned(as: UInt64.self))
        guard length == UInt64(body.count - 8 - at), let stateBytes = take(Int(length)) else { return nil }
        let base = at - Int(length)
        let shifted: (@Sendable (Range<Int>) -> Void)? = consumed.map { c in { @Sendable r in c(base + r.lowerBound..<base + r.upperBound) } }
        guard let state = try? StateSnapshot.decode(stateBytes, consumed: shifted) else { return nil }
        return SnapshotFile(device: UUID(uuid: uuid), lastSeq: lastSeq, coverage: coverage, state: state)
    }

    /// Maps the file rather than copying it into memory: the state decoded from it is what
    /// needs the room.
    static func read(in dir: URL) -> SnapshotFile? {
        let path = path(in: dir)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { closeDescriptor(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size > 0 else { return nil }
        let size = Int(st.st_size)
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        defer { munmap(base, size) }
        _ = madvise(base, size, MADV_SEQUENTIAL)
        // Pages already read are let go as decoding moves on, so the file's image and the
        // state it becomes are not both resident at once.
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let address = Int(bitPattern: base)
        return decode(UnsafeRawBufferPointer(start: base, count: size)) { range in
            // Only whole pages inside the range: a neighbouring reader may still be on the edges.
            let from = (range.lowerBound + page - 1) / page * page, to = range.upperBound / page * page
            if to > from { _ = madvise(UnsafeMutableRawPointer(bitPattern: address + from), to - from, MADV_DONTNEED) }
        }
    }

    /// Replaces the snapshot atomically: a private temporary file, fsync, rename. A crash
    /// leaves the old snapshot or the new one, never half of one. Failure is not an error
    /// the user needs to see (the journal is the truth), so it only returns false.
    @discardableResult
    func save(in dir: URL) -> Bool {
        SnapshotFile.replace(SnapshotFile.path(in: dir), write: encode)
    }

    /// Writes `final` whole through a temporary file, fsync and rename.
    static func replace(_ final: String, write encode: ((UnsafeRawBufferPointer) -> Void) -> Void) -> Bool {
        let dir = URL(fileURLWithPath: (final as NSString).deletingLastPathComponent)
        let base = (final as NSString).lastPathComponent
        let temp = "\(final).tmp-\(getpid())"
        // A temporary file left by a crash mid-write is only litter (the rename never
        // happened): remove it. One another process is writing just now fails its rename,
        // which costs that process nothing but its cache.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        where name.hasPrefix("\(base).tmp-") {
            _ = unlink(dir.appendingPathComponent(name).path)
        }
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        _ = fchmod(fd, 0o600)
        var ok = true
        encode { piece in
            var done = 0
            while ok, done < piece.count {
                let n = write(fd, piece.baseAddress! + done, piece.count - done)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { ok = false } else { done += n }
            }
        }
        ok = ok && fsync(fd) == 0
        closeDescriptor(fd)
        guard ok, rename(temp, final) == 0 else {
            _ = unlink(temp)
            return false
        }
        return true
    }
}

/// CRC32C of a buffer, computed on another thread. The buffer must stay valid until `wait`.
private final class BackgroundChecksum: @unchecked Sendable {
    private let group = DispatchGroup()
    private var value: UInt32 = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        // Only this thread's job reads `bytes`, and `wait` is called before they go away.
        nonisolated(unsafe) let bytes = bytes
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async {
            self.value = CRC32C.checksum(bytes)
            self.group.leave()
        }
    }

    /// The checksum (waits for it). Safe to call more than once.
    func wait() -> UInt32 {
        group.wait()
        return value
    }
}
