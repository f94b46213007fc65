import Foundation
import CaseloadCore

/// An event about to be written. The store fills in what is left out: a new id, the next
/// clock reading, the current worker as author.
public struct PendingEvent: Sendable {
    public var body: EventBody
    public var id: UUID?
    public var clock: HLC?
    public var author: String?
    public init(_ body: EventBody, id: UUID? = nil, clock: HLC? = nil, author: String? = nil) {
        self.body = body; self.id = id; self.clock = clock; self.author = author
    }
}

/// The caseload of one data directory: this device's journal (open for appending, locked),
/// other devices' journals beside it (read-only), and the state folded from all of them.
/// Data flows one way: append (fsync) first, then fold, then the caller may say "saved".
public final class CaseloadStore {
    public enum Mode: Sendable { case readWrite, readOnly }

    public let dataDirectory: URL
    public let device: UUID
    public let workerId: String
    public let mode: Mode
    public private(set) var state = CaseloadState()
    /// Things the user should be told about what opening found (a torn tail set aside, a
    /// damaged record skipped). Never contains note text or names.
    public internal(set) var warnings: [String] = []
    /// The last seq written by this device.
    public private(set) var lastSeq: UInt64 = 0
    private var journal: JournalFile?
    /// Per device (own and replicas): the highest seq held contiguously from 1. See `heldSeqs()`.
    var held: [UUID: UInt64] = [:]
    /// Other devices' journals opened (and locked) for `receive`, kept open for the next batch.
    var replicaFiles: [UUID: JournalFile] = [:]
    /// Events stored by `receive(…, deferFold: true)` and not folded yet.
    var unfolded: [Event] = []
    /// Milliseconds since 1970: injectable so tests can pin time.
    public var now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    public static func open(dataDirectory: URL, mode: Mode = .readWrite) throws -> CaseloadStore {
        let config = try DataDirectory.readConfig(dataDirectory)
        return try CaseloadStore(dataDirectory: dataDirectory, config: config, mode: mode)
    }

    init(dataDirectory: URL, config: DataDirectory.Config, mode: Mode) throws {
        self.dataDirectory = dataDirectory
        device = config.device
        workerId = config.workerId
        self.mode = mode
        if mode == .readWrite {
            try DataDirectory.checkWritable(DataDirectory.journalDirectory(dataDirectory))
            let file = try JournalFile(path: DataDirectory.journalPath(dataDirectory, device: device), device: device)
            journal = file
            if let r = file.recovery { warnings.append(r.message) }
        }
        try load()
    }

    public var journalPath: String { DataDirectory.journalPath(dataDirectory, device: device) }

    /// Reads every journal in the data directory and folds them into `state`.
    public func load() throws {
        var events: [Event] = []
        var seen = Set<UUID>()
        var held: [UUID: UInt64] = [:]
        let ownPath = journalPath
        let scans = try journalScans()
        for (path, scan) in scans {
            let isOwn = path == ownPath
            if let problem = scan.headerProblem {
                if isOwn, problem == .incomplete, scan.fileSize == 0 { continue }
                warnings.append("skipped \(path): \(JournalError.header(path: path, problem).description)")
                continue
            }
            for d in scan.damage where !(mode == .readWrite && isOwn) {
                warnings.append("\(path): \(d.description)")
            }
            var skipped = 0
            let fileDevice = scan.header?.device
            var contiguous = held[fileDevice ?? device, default: 0]
            for record in scan.records {
                guard let e = try? Event.decode(record.payload) else { skipped += 1; continue }
                if isOwn { lastSeq = max(lastSeq, e.seq) }
                if e.device == fileDevice, e.seq == contiguous + 1 { contiguous = e.seq }
                if seen.insert(e.id).inserted { events.append(e) }
            }
            if let fileDevice, contiguous > 0 { held[fileDevice] = max(held[fileDevice, default: 0], contiguous) }
            if skipped > 0 { warnings.append("\(path): \(skipped) record(s) could not be read as events and were skipped (they stay in the file)") }
        }
        state = CaseloadState.fold(events)
        self.held = held
        unfolded = []
        journal?.forgetInitialScan()
    }

    private func journalScans() throws -> [(String, JournalScan)] {
        var result: [(String, JournalScan)] = []
        if let journal { result.append((journal.path, journal.initialScanForLoad)) }
        let dir = DataDirectory.journalDirectory(dataDirectory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".journal") {
            let path = dir.appendingPathComponent(name).path
            if path == journal?.path { continue }
            result.append((path, try JournalFile.read(path: path)))
        }
        return result
    }

    /// Appends events and folds them. When this returns they are on disk (fsynced).
    @discardableResult
    public func append(_ bodies: [EventBody]) throws -> [Event] {
        try append(bodies.map { PendingEvent($0) })
    }

    @discardableResult
    public func append(_ pending: [PendingEvent]) throws -> [Event] {
        guard let journal else { throw StoreError.invalid("this caseload was opened read-only") }
        var clock = state.latestClock
        var seq = lastSeq
        var events: [Event] = []
        events.reserveCapacity(pending.count)
        for p in pending {
            seq += 1
            let c = p.clock.map { max($0, clock.tick(now: $0.wallMillis)) } ?? clock.tick(now: now())
            clock = c
            events.append(Event(id: p.id ?? UUID(), device: device, seq: seq, clock: c, author: p.author ?? workerId, body: p.body))
        }
        let payloads = try events.map { try $0.encoded() }
        try journal.append(payloads)
        lastSeq = seq
        held[device] = seq
        if events.contains(where: { if case .changeUndone = $0.body { return true } else { return false } }) {
            journal.forgetInitialScan()
            try load()
        } else {
            for e in events { state.apply(e) }
        }
        return events
    }

    /// Undoes an earlier change with a compensating event; the journal keeps both.
    @discardableResult
    public func undo(eventId: UUID) throws -> Event {
        try append([.changeUndone(ChangeUndone(eventId: eventId))])[0]
    }

    /// Every event of this device's journal, in file order (for export, verify and undo).
    public func ownEvents() throws -> [Event] {
        try JournalFile.read(path: journalPath).records.compactMap { try? Event.decode($0.payload) }
    }

    public func close() {
        journal?.close()
        journal = nil
        for file in replicaFiles.values { file.close() }
        replicaFiles = [:]
    }

    /// Folds events just written to a journal: in place when they all come after everything
    /// folded so far, else (events from the past of the fold order, an undo) a full re-read.
    func fold(newEvents events: [Event]) throws {
        let sorted = events.sorted(by: Event.foldOrder)
        guard let first = sorted.first else { return }
        let hasUndo = sorted.contains { if case .changeUndone = $0.body { return true } else { return false } }
        if hasUndo || !state.canApplyIncrementally(first) {
            journal?.forgetInitialScan()
            try load()
            return
        }
        for e in sorted { state.apply(e) }
    }
}

extension JournalFile {
    /// The scan made at open time, or a fresh read once records have been appended since.
    var initialScanForLoad: JournalScan {
        if endOffset == initialScan.validEnd { return initialScan }
        return (try? JournalFile.read(path: path)) ?? initialScan
    }
}
