import Foundation
import CaseloadCore

/// `<data>/followups.idx`: the `FollowupDigest` of the caseload (open follow-ups of open cases,
/// names, teams) and exactly how much of each journal it was derived from, so `caseload
/// overdue` can answer from a few hundred kilobytes instead of opening the whole caseload. A
/// cache like `snapshot.bin`, never trusted over the journals: it counts only while the set
/// of journal files is the same and each still ends where it ended then, with the same last
/// record; anything else (a record appended, another version, a failed checksum) and the
/// caseload is opened and the file written again. Deleting it is always safe. Private (0600).
///
///     magic "CSLDFUPS" | version u32 | device UUID
///     file count u32, per file: name | header CRC u32 | end u64 | last record offset i64 | its CRC u32
///     team count u32, per team: worker | team
///     row count u32, per row (by due date): follow-up id | patient id | due (day ordinal) i64 | name | worker | reason flag u8 [reason]
///     masked CRC32C u32 of everything before it          (strings are u32 length + UTF-8)
struct FollowupIndexFile: Equatable {
    static let name = "followups.idx"
    static let magic = Array("CSLDFUPS".utf8)
    static let version: UInt32 = 1

    var device: UUID
    var coverage: [FileCoverage]
    var digest: FollowupDigest

    static func path(in dir: URL) -> String { dir.appendingPathComponent(name).path }

    func encoded() -> [UInt8] {
        var b = FollowupIndexFile.magic
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { b.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { b.append(contentsOf: $0) } }
        func text(_ s: String) { u32(UInt32(s.utf8.count)); b.append(contentsOf: s.utf8) }
        func id(_ u: UUID) { withUnsafeBytes(of: u.uuid) { b.append(contentsOf: $0) } }
        u32(FollowupIndexFile.version)
        id(device)
        u32(UInt32(coverage.count))
        for c in coverage {
            text(c.name)
            u32(c.headerCRC); u64(UInt64(c.end)); u64(UInt64(bitPattern: Int64(c.lastRecordOffset))); u32(c.lastRecordCRC)
        }
        u32(UInt32(digest.teams.count))
        for (worker, team) in digest.teams.sorted(by: { $0.key < $1.key }) { text(worker); text(team) }
        u32(UInt32(digest.rows.count))
        for r in digest.rows {
            id(r.followupId); id(r.patientId)
            u64(UInt64(bitPattern: Int64(r.due.ordinal)))
            text(r.patientName); text(r.worker)
            if let reason = r.reason { b.append(1); text(reason) } else { b.append(0) }
        }
        u32(CRC32C.mask(CRC32C.checksum(b)))
        return b
    }

    /// Nil for anything but an intact file of this version. With `dueBefore`, rows stop at the
    /// first due on or after it (rows are by due date): `overdue` needs no others.
    static func decode(_ p: UnsafeRawBufferPointer, dueBefore: Day? = nil) -> FollowupIndexFile? {
        guard p.count >= magic.count + 4 + 16 + 4, p.prefix(magic.count).elementsEqual(magic),
              CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: p[0..<p.count - 4]))) == JournalFormat.readLE(p, p.count - 4)
        else { return nil }
        var at = magic.count
        let end = p.count - 4
        func take(_ n: Int) -> UnsafeRawBufferPointer? {
            guard n >= 0, end - at >= n else { return nil }
            defer { at += n }
            return UnsafeRawBufferPointer(rebasing: p[at..<at + n])
        }
        func u8() -> UInt8? { take(1).map { $0[0] } }
        func u32() -> UInt32? { take(4).map { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) } }
        func u64() -> UInt64? { take(8).map { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) } }
        func text() -> String? { u32().flatMap { take(Int($0)) }.map { String(decoding: $0, as: UTF8.self) } }
        func id() -> UUID? {
            guard let bytes = take(16) else { return nil }
            var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &uuid) { $0.copyMemory(from: bytes) }
            return UUID(uuid: uuid)
        }
        // Counts are checked against the bytes left before anything is reserved.
        func count(_ smallest: Int) -> Int? { u32().map(Int.init).flatMap { $0 * smallest <= end - at ? $0 : nil } }
        guard u32() == version, let device = id(), let files = count(28) else { return nil }
        var coverage: [FileCoverage] = []
        for _ in 0..<files {
            guard let name = text(), let header = u32(), let fileEnd = u64(), let last = u64(), let crc = u32(),
                  fileEnd <= UInt64(Int.max) else { return nil }
            coverage.append(FileCoverage(name: name, headerCRC: header, end: Int(fileEnd),
                                         lastRecordOffset: Int(Int64(bitPattern: last)), lastRecordCRC: crc))
        }
        guard let teamCount = count(8) else { return nil }
        var teams: [String: String] = [:]
        for _ in 0..<teamCount {
            guard let worker = text(), let team = text() else { return nil }
            teams[worker] = team
        }
        guard let rowCount = count(49) else { return nil }
        var rows: [FollowupDigest.Row] = []
        for _ in 0..<rowCount {
            // The due date first: past `dueBefore`, nothing more is read.
            guard let head = take(40) else { return nil }
            let ordinal = Int64(bitPattern: UInt64(littleEndian: UnsafeRawBufferPointer(rebasing: head[32..<40]).loadUnaligned(as: UInt64.self)))
            guard ordinal >= Int64(Day.earliest.ordinal), ordinal <= Int64(Day.latest.ordinal) else { return nil }
            let due = Day(ordinal: Int(ordinal))
            if let dueBefore, due >= dueBefore { return FollowupIndexFile(device: device, coverage: coverage, digest: FollowupDigest(rows: rows, teams: teams)) }
            at -= 40
            guard let f = id(), let patient = id(), u64() != nil, let name = text(), let worker = text(), let flag = u8(), flag <= 1
            else { return nil }
            var reason: String?
            if flag == 1 { guard let r = text() else { return nil }; reason = r }
            rows.append(.init(followupId: f, patientId: patient, patientName: name, worker: worker, due: due, reason: reason))
        }
        guard at == end else { return nil }
        return FollowupIndexFile(device: device, coverage: coverage, digest: FollowupDigest(rows: rows, teams: teams))
    }

    /// Whether the journals in `journals` (name and path, every `*.journal` there is) are still
    /// exactly what this file was derived from: the same files, each ending where it did.
    func isCurrent(journals: [(name: String, path: String)]) -> Bool {
        guard Set(journals.map(\.name)) == Set(coverage.map(\.name)), journals.count == coverage.count else { return false }
        for j in journals {
            guard let c = coverage.first(where: { $0.name == j.name }), FollowupIndexFile.size(of: j.path) == c.end,
                  c.stillMatches(path: j.path) else { return false }
        }
        return true
    }

    static func size(of path: String) -> Int? {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
    }

    static func read(in dir: URL, dueBefore: Day? = nil) -> FollowupIndexFile? {
        guard let data = FileManager.default.contents(atPath: path(in: dir)) else { return nil }
        return data.withUnsafeBytes { decode($0, dueBefore: dueBefore) }
    }

    /// Written as every private file is (0600, synced, renamed into place); a failure costs
    /// only the next `overdue` its speed, so it is not reported.
    func save(in dir: URL) {
        try? PrivateFile.save(Data(encoded()), to: FollowupIndexFile.path(in: dir))
    }
}

extension CaseloadStore {
    /// The digest in `followups.idx` when it still describes the journals of `dataDirectory`
    /// exactly, without opening the caseload; nil when it is absent, damaged or stale. With
    /// `dueBefore`, only the rows due before that day (enough for `overdue` as of it).
    public static func currentFollowupDigest(dataDirectory: URL, dueBefore: Day? = nil) -> FollowupDigest? {
        guard let config = try? DataDirectory.readConfig(dataDirectory), let file = FollowupIndexFile.read(in: dataDirectory, dueBefore: dueBefore),
              file.device == config.device else { return nil }
        let dir = DataDirectory.journalDirectory(dataDirectory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return nil }
        let journals = names.filter { $0.hasSuffix(".journal") }.map { (name: $0, path: dir.appendingPathComponent($0).path) }
        return file.isCurrent(journals: journals) ? file.digest : nil
    }

    /// Writes `followups.idx` for the state as folded now. Not after the careful path (its
    /// warnings must be seen on the next open) nor with received events not yet folded.
    public func writeFollowupIndex() {
        // It holds names and reasons in clear: an encrypted caseload keeps none (and drops one
        // left from before it was encrypted); its `overdue` opens the caseload.
        if codec.sealer != nil {
            unlink(dataDirectory.appendingPathComponent(FollowupIndexFile.name).path)
            return
        }
        guard canWriteCaches else { return }
        FollowupIndexFile(device: device, coverage: currentCoverage(), digest: FollowupDigest(state)).save(in: dataDirectory)
    }
}

/// `followups.idx` as the fuzz target reads it: never a crash, and a file that decodes gives,
/// read only up to a day, the rows before that day of the whole read.
public enum FollowupIndexBytes {
    /// Throws a description of the broken invariant.
    public static func check(_ bytes: [UInt8]) throws {
        bytes.withUnsafeBytes { p in _ = FollowupIndexFile.decode(p) }
        guard let whole = bytes.withUnsafeBytes({ FollowupIndexFile.decode($0) }) else { return }
        let rows = whole.digest.rows
        // Rows need not be sorted in a file made by hand: only a sorted one must agree.
        guard rows.map(\.due) == rows.map(\.due).sorted() else { return }
        for day in Set(rows.prefix(8).map(\.due) + [Day.latest]) {
            let part = bytes.withUnsafeBytes { FollowupIndexFile.decode($0, dueBefore: day) }
            if part?.digest.rows != rows.filter({ $0.due < day }) { throw FollowupIndexInvariant("reading up to \(day) gave other rows") }
        }
    }

    /// A valid file for `digest`, to start mutating from.
    public static func seed(_ digest: FollowupDigest) -> [UInt8] {
        FollowupIndexFile(device: UUID(uuidString: "00000000-0000-0000-0000-0000000000F1")!,
                          coverage: [FileCoverage(name: "a.journal", headerCRC: 1, end: 99, lastRecordOffset: 40, lastRecordCRC: 7)],
                          digest: digest).encoded()
    }
}

public struct FollowupIndexInvariant: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
