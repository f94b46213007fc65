import Foundation
import CaseloadCore
import CaseloadJournal
#if canImport(Glibc)
import Glibc
#endif

/// How far a long sync has got, for a progress line or bar.
public struct SyncProgress: Sendable, Equatable {
    public enum Phase: String, Sendable { case receiving, sending }
    public var phase: Phase
    public var done: Int
    public var total: Int
}

/// What a sync exchanged. `problems` are one line each, about files, never about people.
public struct SyncReport: Codable, Sendable, Equatable {
    public var target: String
    public var sent: Int = 0
    public var received: Int = 0
    /// How many other devices events came in from.
    public var devices: Int = 0
    /// Whether a `device.synced` event was recorded (and sent) this time.
    public var recorded = false
    /// Our events could not be written to the target (see `problems`): what came in is kept.
    public var sendFailed = false
    public var problems: [String] = []

    public init(target: String) { self.target = target }

    /// "sent 12 events, received 340 from 2 devices".
    public var summary: String {
        func events(_ n: Int) -> String { n == 1 ? "1 event" : "\(n) events" }
        var text = "sent \(events(sent)), received "
        text += received == 0 ? "none" : "\(received) from \(devices == 1 ? "1 device" : "\(devices) devices")"
        return text
    }
}

public enum SyncError: Error, Equatable, CustomStringConvertible {
    case folder(String)
    /// Stopped between batches when asked (Esc in the app): what was exchanged is kept.
    case cancelled

    public var description: String {
        switch self {
        case .folder(let why): return why
        case .cancelled: return "sync cancelled: what was exchanged so far is kept; sync again to finish"
        }
    }
}

/// Sync through a shared folder (a USB stick, a shared drive): each device appends its own
/// events to `<folder>/<device>.journal` (same format as the local journal) and reads everyone
/// else's. Nothing is ever overwritten: an interrupted sync leaves whole records and at most a
/// torn last one, which the next run sets aside and continues after.
public final class FolderSync {
    public let store: CaseloadStore
    public let folder: URL
    /// Events per write + fsync, and per progress report.
    public var batchSize = 10_000
    public var progress: ((SyncProgress) -> Void)?
    /// Asked after each batch: true stops the sync there (`SyncError.cancelled`).
    public var shouldCancel: (() -> Bool)?
    /// Record a `device.synced` when the last one is older than this even if nothing went out.
    public var recordEvery: Int64 = 3_600_000
    /// The largest device file read from the folder (a 50,000-person caseload is about 630 MB).
    public var maxFileSize = 1 << 30
    /// Files up to this size are read whole (damage in the middle is stepped over); larger
    /// ones a record at a time, in bounded memory (reading stops at damage).
    public var wholeReadLimit = 64 << 20

    public static let target = "folder"

    public init(store: CaseloadStore, folder: URL) {
        self.store = store
        self.folder = folder.standardizedFileURL
    }

    public func run() throws -> SyncReport {
        try checkFolder()
        var record = SyncRecord.load(store.dataDirectory)
        let key = folder.path
        var seen = record.folders[key] ?? SyncRecord.FolderState()
        var report = SyncReport(target: Self.target)
        let deviceBefore = store.device
        let keyCopies = FolderPersonKeys(folder: folder)
        let erasedBefore = try PersonKeyExchange.run(store, keyCopies, &report)
        try pull(&report, &seen)
        let pushed = try push(&report, &seen)
        try PersonKeyExchange.afterEvents(store, keyCopies, erasedBefore: erasedBefore, &report)
        if store.device != deviceBefore {
            // Forked (see `DeviceFork`): what other folders hold of ours was the old device's.
            for other in record.folders.keys where other != key {
                record.folders[other]?.ownSeq = 0
                record.folders[other]?.ownSize = 0
            }
        }
        report.sendFailed = pushed == nil
        record.folders[key] = seen
        record.last = SyncRecord.Last(target: Self.target, place: key, at: store.now(), sent: report.sent,
                                      received: report.received, devices: report.devices,
                                      pushedSeq: pushed ?? min(record.last?.pushedSeq ?? 0, seen.ownSeq))
        try record.save(store.dataDirectory)
        return report
    }

    private func checkFolder() throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir) else {
            throw SyncError.folder("the sync folder \(folder.path) does not exist (is the drive connected?); nothing was changed")
        }
        guard isDir.boolValue else { throw SyncError.folder("\(folder.path) is a file, not a folder; nothing was changed") }
        guard access(folder.path, R_OK | W_OK | X_OK) == 0 else {
            throw SyncError.folder("the sync folder \(folder.path) cannot be read and written (\(String(cString: strerror(errno)))); nothing was changed")
        }
    }

    // MARK: Pull

    /// Takes in every other device's file in the folder through the engine.
    private func pull(_ report: inout SyncReport, _ seen: inout SyncRecord.FolderState) throws {
        let transport = FolderTransport(sync: self, seen: seen)
        defer { seen = transport.seen }
        try engine.pull(transport, &report)
    }

    private var engine: SyncEngine {
        SyncEngine(store: store, pageSize: batchSize, progress: progress, shouldCancel: shouldCancel)
    }

    // MARK: Push

    /// Brings our file in the folder up to date. Returns the seq it then holds, or nil when it
    /// could not be written (reported).
    private func push(_ report: inout SyncReport, _ seen: inout SyncRecord.FolderState) throws -> UInt64? {
        let name = Self.fileName(store.device)
        let path = folder.appendingPathComponent(name).path
        // Never write through a link or into anything but our own regular file: a symlink
        // planted there would have us append the whole journal to someone else's file.
        var st = stat()
        if lstat(path, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG {
            report.problems.append("could not send: \(name) in the folder is not a regular file (a link?); move it away; nothing was sent")
            return nil
        }
        let syncDue = store.syncRecordDue(every: recordEvery)
        if !syncDue, seen.ownSeq == store.lastSeq, Self.regularFileSize(path) == seen.ownSize, seen.ownSize > 0 {
            return seen.ownSeq
        }
        let file: JournalFile
        do { file = try JournalFile(path: path, device: store.device) } catch let error as JournalError {
            report.problems.append("could not send: \(Self.describe(error, name: name))")
            return nil
        }
        defer { file.close() }
        if let r = file.recovery {
            report.problems.append("\(name): an interrupted earlier sync left \(r.damage.range.count) incomplete bytes; set aside, continuing after them")
        }
        // Read after opening, so a torn tail set aside above is not counted.
        let folderPayloads = try JournalFile.read(path: path, followLinks: false).records.map(\.payload)
        let there = Self.contiguousSeq(folderPayloads, device: store.device)
        let ours = try store.payloads(of: store.device, after: min(there, store.lastSeq) > 0 ? min(there, store.lastSeq) - 1 : 0)
        if let forkSeq = try Self.forkSeq(folder: folderPayloads, there: there, ours: ours, store: store) {
            // Others already took the folder's branch: ours goes on under a new device id,
            // and the folder's branch of the old one comes in on the next pull.
            file.close()
            let fork = try store.continueAsNewDevice(forkedAt: forkSeq)
            report.problems.append(fork.message)
            seen.ownSeq = 0
            seen.ownSize = 0
            seen.sizes[fork.oldDevice.lowercasedString] = nil
            try pull(&report, &seen)
            return try push(&report, &seen)
        }
        report.recorded = try store.recordSyncIfDue(target: Self.target, unsent: there < store.lastSeq, every: recordEvery)
        let sent = try engine.push(after: there) { try file.append($0) }.sent
        report.sent = sent
        seen.ownSeq = there + UInt64(sent)
        seen.ownSize = file.endOffset
        return seen.ownSeq
    }

    /// The first seq where our journal and our file in the folder disagree (another copy of
    /// this data folder wrote there), or nil when ours continues the folder's. A fork puts
    /// different events from its seq on, so the last seq both hold tells; `ours` holds our
    /// events from that seq on.
    static func forkSeq(folder: [Data], there: UInt64, ours: [(seq: UInt64, payload: Data)], store: CaseloadStore) throws -> UInt64? {
        let device = store.device
        let common = min(there, store.lastSeq)
        func differs(_ seq: UInt64, _ mine: [(seq: UInt64, payload: Data)]) -> Bool {
            guard let i = mine.firstIndex(where: { $0.seq == seq }), let e = try? EventEnvelope.decode(mine[i].payload) else { return true }
            return event(at: seq, in: folder, device: device)?.id != e.id
        }
        guard common > 0, differs(common, ours) else {
            // The folder has events of this device that we do not (a journal restored from a backup).
            return there > store.lastSeq ? store.lastSeq + 1 : nil
        }
        // The branches share a prefix: find the first seq that differs by halving.
        let all = try store.payloads(of: device, after: 0)
        var low: UInt64 = 1, high = common
        while low < high {
            let mid = (low + high) / 2
            if differs(mid, all) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// The event of `device` with `seq` among `payloads` (in seq order from 1 when written by us).
    static func event(at seq: UInt64, in payloads: [Data], device: UUID) -> EventEnvelope? {
        let i = Int(seq) - 1
        if i >= 0, i < payloads.count, let e = try? EventEnvelope.decode(payloads[i]), e.device == device, e.seq == seq { return e }
        return payloads.lazy.compactMap { try? EventEnvelope.decode($0) }.first { $0.device == device && $0.seq == seq }
    }

    /// The highest seq held from 1 without a gap. Our own file is written in seq order, so the
    /// last record usually tells; otherwise every record is read.
    static func contiguousSeq(_ payloads: [Data], device: UUID) -> UInt64 {
        guard let last = payloads.last else { return 0 }
        if let e = try? EventEnvelope.decode(last), e.device == device, e.seq == UInt64(payloads.count),
           let first = try? EventEnvelope.decode(payloads[0]), first.seq == 1, first.device == device {
            return e.seq
        }
        var top: UInt64 = 0
        for p in payloads {
            guard let e = try? EventEnvelope.decode(p), e.device == device else { continue }
            if e.seq == top + 1 { top = e.seq }
        }
        return top
    }

    /// The one name a device's file in the folder has: "<device id in lower case>.journal".
    static func fileName(_ device: UUID) -> String { "\(device.lowercasedString).journal" }

    static func regularFileSize(_ path: String) -> Int? {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(st.st_size)
    }

    static func describe(_ problem: JournalHeaderProblem) -> String {
        switch problem {
        case .incomplete: return "its header is incomplete (a copy cut short?)"
        case .notAJournal: return "it is not a caseload journal"
        case .checksumMismatch: return "its header is damaged"
        case .futureVersion(let v): return "it is format version \(v), newer than this caseload understands; update caseload"
        }
    }

    static func describe(_ error: JournalError, name: String) -> String {
        switch error {
        case .header(_, let problem): return "\(name) in the folder: \(describe(problem))"
        case .middleDamage(_, let offset): return "\(name) in the folder is damaged at byte \(offset); move it away to start it afresh"
        case .wrongDevice: return "\(name) in the folder holds another device's events"
        case .locked: return "\(name) in the folder is being written by another sync; try again"
        case let .io(_, operation, code): return "\(operation) \(name) in the folder failed: \(String(cString: strerror(code)))"
        }
    }
}

/// The folder as the engine's other side: one feed per other device's file, checked for what
/// it claims to be (its name, a regular file, its size, its header) before a record is read.
/// Files up to `wholeReadLimit` are read whole (damage in the middle is stepped over), larger
/// ones a record at a time (reading stops at damage). Remembers, in `seen`, the size of each
/// file taken in whole, so an unchanged one is not read again.
final class FolderTransport: SyncTransport {
    let sync: FolderSync
    var seen: SyncRecord.FolderState

    init(sync: FolderSync, seen: SyncRecord.FolderState) {
        self.sync = sync
        self.seen = seen
    }

    func feeds(held: [UUID: UInt64], report: inout SyncReport) throws -> [SyncFeed] {
        let folder = sync.folder
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".journal") }.sorted() } catch {
            throw SyncError.folder("the sync folder \(folder.path) cannot be listed; nothing was changed")
        }
        var feeds: [SyncFeed] = []
        for name in names {
            guard let device = UUID(uuidString: String(name.dropLast(".journal".count))) else {
                report.problems.append("skipped \(name): not named after a device")
                continue
            }
            // Only the exact name a device writes: a renamed copy (upper case, say) would
            // otherwise stand in for that device's real file.
            guard name == FolderSync.fileName(device) else {
                report.problems.append("skipped \(name): not the name caseload gives a device's file (\(FolderSync.fileName(device)))")
                continue
            }
            if device == sync.store.device { continue }
            let path = folder.appendingPathComponent(name).path
            guard let size = FolderSync.regularFileSize(path) else {
                report.problems.append("skipped \(name): not a regular file")
                continue
            }
            // Far larger than any caseload (a sparse 3 GB file, say): not worth reading at all.
            guard size <= sync.maxFileSize else {
                report.problems.append("skipped \(name): \(size / (1 << 20)) MiB is larger than a device's file can be (\(sync.maxFileSize / (1 << 20)) MiB)")
                continue
            }
            let heldSeq = held[device, default: 0]
            let key = device.lowercasedString
            // Unchanged only if we still hold what we held then (not a journal restored from a backup).
            if seen.sizes[key] == size, heldSeq > 0, seen.held?[key] == heldSeq { continue }
            if size > sync.wholeReadLimit {
                do {
                    let stream = try JournalRecordStream(path: path)
                    guard stream.header.device == device, !stream.header.flags.contains(.encrypted) else {
                        report.problems.append("skipped \(name): it holds another device's events or is encrypted")
                        continue
                    }
                    feeds.append(StreamedFile(transport: self, name: name, device: device, size: size, stream: stream))
                } catch JournalError.header(_, let problem) {
                    report.problems.append("skipped \(name): \(FolderSync.describe(problem))")
                } catch {
                    report.problems.append("skipped \(name): it cannot be read")
                }
                continue
            }
            let scan: JournalScan
            do { scan = try JournalFile.read(path: path, followLinks: false) } catch {
                report.problems.append("skipped \(name): it cannot be read")
                continue
            }
            if let problem = scan.headerProblem {
                report.problems.append("skipped \(name): \(FolderSync.describe(problem))")
                continue
            }
            guard let header = scan.header, header.device == device else {
                report.problems.append("skipped \(name): it holds another device's events")
                continue
            }
            guard !header.flags.contains(.encrypted) else {
                report.problems.append("skipped \(name): it is encrypted, which this version of caseload cannot read")
                continue
            }
            if scan.hasMiddleDamage { report.problems.append("\(name): damaged bytes skipped; the records around them were read") }
            // Records are in seq order: start after what we hold when the record there says so.
            var start = 0
            if heldSeq > 0, scan.records.count >= heldSeq,
               let e = try? EventEnvelope.decode(scan.records[Int(heldSeq) - 1].payload), e.device == device, e.seq == heldSeq {
                start = Int(heldSeq)
            }
            // A torn tail may be a write in progress on a shared drive: read the file again next time.
            feeds.append(WholeFile(transport: self, name: name, device: device, size: size,
                                   payloads: scan.records[start...].map(\.payload), settled: scan.damage.isEmpty))
        }
        return feeds
    }

    /// When all of `device`'s file was taken in, remembers its size and what we then held.
    func settle(_ device: UUID, size: Int) throws {
        let key = device.lowercasedString
        seen.sizes[key] = size
        seen.held = (seen.held ?? [:]).merging([key: try sync.store.heldSeqs()[device, default: 0]]) { $1 }
    }

    /// A file read whole: its records from where we stand.
    final class WholeFile: SyncFeed {
        let transport: FolderTransport
        let label: String
        let device: UUID
        let size: Int
        private var payloads: ArraySlice<Data>
        private let settled: Bool

        init(transport: FolderTransport, name: String, device: UUID, size: Int, payloads: [Data], settled: Bool) {
            self.transport = transport
            label = name
            self.device = device
            self.size = size
            self.payloads = payloads[...]
            self.settled = settled
        }

        var expected: Int? { payloads.count }

        func nextPage(after held: UInt64, limit: Int) throws -> [IncomingRecord] {
            let page = payloads.prefix(limit)
            payloads = payloads.dropFirst(page.count)
            return page.map { IncomingRecord(payload: $0) }
        }

        func finish(complete: Bool, report: inout SyncReport) throws {
            if complete, settled { try transport.settle(device, size: size) }
        }
    }

    /// A large file read a record at a time; records already held are passed over by the engine.
    final class StreamedFile: SyncFeed {
        let transport: FolderTransport
        let label: String
        let device: UUID
        let size: Int
        private let stream: JournalRecordStream

        init(transport: FolderTransport, name: String, device: UUID, size: Int, stream: JournalRecordStream) {
            self.transport = transport
            label = name
            self.device = device
            self.size = size
            self.stream = stream
        }

        var expected: Int? { nil }

        func nextPage(after held: UInt64, limit: Int) throws -> [IncomingRecord] {
            var page: [IncomingRecord] = []
            while page.count < limit, let payload = try stream.next() { page.append(IncomingRecord(payload: payload)) }
            return page
        }

        func finish(complete: Bool, report: inout SyncReport) throws {
            if stream.stoppedAtDamage {
                report.problems.append("\(label): damaged at byte \(stream.offset); the records after that were not read")
            }
            if complete, !stream.stoppedAtDamage { try transport.settle(device, size: size) }
        }
    }
}
