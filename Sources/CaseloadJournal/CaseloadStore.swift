import Foundation
import CaseloadCore
import CaseloadCrypto

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

extension DemoCaseload.Item {
    /// This demo item ready to append (the store gives it its device and seq).
    public var pending: PendingEvent { PendingEvent(body, id: id, clock: clock, author: author) }
}

/// The caseload of one data directory: this device's journal (open for appending, locked),
/// other devices' journals beside it (read-only), and the state folded from all of them.
/// Data flows one way: append (fsync) first, then fold, then the caller may say "saved".
public final class CaseloadStore {
    public enum Mode: Sendable { case readWrite, readOnly }

    public let dataDirectory: URL
    public internal(set) var device: UUID
    public let workerId: String
    public let mode: Mode
    /// Plain, or sealing every body (encryption on; see `KeyFile` and `EventSealer`).
    public let codec: EventCodec
    public private(set) var state = CaseloadState()
    /// Things the user should be told about what opening found (a torn tail set aside, a
    /// damaged record skipped). Never contains note text or names.
    public internal(set) var warnings: [String] = []
    /// The last seq written by this device.
    public internal(set) var lastSeq: UInt64 = 0
    var journal: JournalFile?
    /// Per device (own and replicas): the highest seq held contiguously from 1. See `heldSeqs()`.
    var held: [UUID: UInt64] = [:]
    /// Other devices' journals opened (and locked) for `receive`, kept open for the next batch.
    var replicaFiles: [UUID: JournalFile] = [:]
    /// Events stored by `receive(…, deferFold: true)` and not folded yet.
    var unfolded: [Event] = []
    /// The newest clock folded that is not from the future (see `HLC.isFuture`): what new local
    /// events continue from when `state.latestClock` came from a device with a wrong clock.
    var saneLatestClock: HLC = .zero
    /// Devices that sent events dated in the future through `receive`, with the latest such
    /// clock: kept and folded, shown as suspect, never adopted.
    public var futureClocks: [UUID: HLC] = [:]
    /// Milliseconds since 1970: injectable so tests can pin time.
    public var now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    /// An encrypted caseload (one with `keys.json`) opens only with its keys unlocked
    /// (`EncryptedCaseload.unlock`); without them nothing is read or written.
    /// `snapshotInBackground`: an open that folds the whole journal writes its snapshot on
    /// another core and shows the caseload without waiting for it. Only for a caller that
    /// always calls `close` (the app): a command that ends without it would leave no snapshot.
    public static func open(dataDirectory: URL, mode: Mode = .readWrite, codec: EventCodec = .plain,
                            snapshotInBackground: Bool = false) throws -> CaseloadStore {
        let config = try DataDirectory.readConfig(dataDirectory)
        if KeyFile.exists(in: dataDirectory), !codec.isSealed { throw StoreError.locked(dataDirectory.path) }
        // Sealed records in a folder without keys.json could never be opened again.
        if codec.isSealed, !KeyFile.exists(in: dataDirectory) { throw StoreError.invalid("\(dataDirectory.path) is not an encrypted caseload (no keys.json); nothing was changed") }
        return try CaseloadStore(dataDirectory: dataDirectory, config: config, mode: mode, codec: codec, snapshotInBackground: snapshotInBackground)
    }

    init(dataDirectory: URL, config: DataDirectory.Config, mode: Mode, codec: EventCodec = .plain, snapshotInBackground: Bool = false) throws {
        self.snapshotInBackground = snapshotInBackground
        self.dataDirectory = dataDirectory
        device = config.device
        workerId = config.workerId
        self.mode = mode
        self.codec = codec
        var snapshot = Self.readSnapshot(dataDirectory, codec: codec, device: config.device)
        if mode == .readWrite {
            try DataDirectory.checkWritable(DataDirectory.journalDirectory(dataDirectory))
            // A switch to a new device cut short by a crash (see `DeviceFork`) is finished first.
            try Self.finishForks(dataDirectory, now: Int64(Date().timeIntervalSince1970 * 1000))
            let path = DataDirectory.journalPath(dataDirectory, device: device)
            let name = (path as NSString).lastPathComponent
            let file = try JournalFile(path: path, device: device, trusted: snapshot?.coverage.first { $0.name == name })
            file.marksBatches = true
            journal = file
            if let r = file.recovery { warnings.append(r.message) }
        }
        try load(snapshot: &snapshot)
        try destroyKeysOfErasedPeople()
        if mode == .readWrite, let sent = SyncRecord.load(dataDirectory).highestSentSeq, sent > lastSeq {
            // Events this device sent are gone from its journal: it was restored from a backup.
            warnings.append("this device's journal ends at event \(lastSeq) but it had already sent up to \(sent) (restored from a backup?): "
                + "nothing is lost; the next sync takes those events back and carries on under a new device id")
        }
    }

    public var journalPath: String { DataDirectory.journalPath(dataDirectory, device: device) }

    /// Folded events not yet in `snapshot.bin`; past this many, opening or closing rewrites it.
    static let snapshotThreshold = 1000
    /// What `state` has read of each journal file, by file name: what a snapshot records.
    var coverage: [String: FileCoverage] = [:]
    private var foldedSinceSnapshot = 0
    /// False after the careful path: its warnings must show again, so no snapshot hides them.
    private var snapshotAllowed = true
    /// A snapshot being written on another core (`writeSnapshot(inBackground:)`).
    private var snapshotInFlight: SnapshotInFlight?
    private let snapshotInBackground: Bool

    // A store let go of without `close` still leaves no snapshot half written behind it when
    // the process goes on (a process that exits does not wait: hence `snapshotInBackground`).
    deinit { finishSnapshotInFlight() }
    /// Events were folded in after opening (appended, received): `close` refreshes `followups.idx`.
    var changedSinceOpen = false
    /// Whether the last load started from `snapshot.bin` (for tests and benchmarks).
    public private(set) var loadedFromSnapshot = false

    /// Reads every journal in the data directory and folds them into `state`: from
    /// `snapshot.bin` plus what was appended after it when that is possible, else in full.
    public func load() throws {
        finishSnapshotInFlight()
        var snapshot = Self.readSnapshot(dataDirectory, codec: codec, device: device)
        try load(snapshot: &snapshot)
    }

    /// This device's snapshot: `snapshot.bin`, or for an encrypted caseload `snapshot.sealed`
    /// (never a plain one, which would be the state in clear).
    static func readSnapshot(_ dir: URL, codec: EventCodec, device: UUID) -> SnapshotFile? {
        let s = codec.sealer.map { SnapshotFile.read(in: dir, sealer: $0, device: device) } ?? SnapshotFile.read(in: dir)
        return s.flatMap { $0.device == device ? $0 : nil }
    }

    /// `snapshot` is let go of (set to nil) before a full fold, so two states are not held.
    private func load(snapshot: inout SnapshotFile?) throws {
        let files = journalFiles()
        var outcome = StreamingFold.Outcome.irregular
        if let snapshot, snapshot.coverage.allSatisfy({ c in files.contains { $0.name == c.name && c.stillMatches(path: $0.path) } }) {
            outcome = StreamingFold.run(files, start: snapshot)
            if case .needsUndoneFirst = outcome {
                outcome = StreamingFold.run(files, start: snapshot, undone: StreamingFold.undoTargets(files, after: snapshot))
            }
        }
        loadedFromSnapshot = false
        if case .folded = outcome { loadedFromSnapshot = true } else {
            snapshot = nil
            // Undone ids first (a quick look), so one pass folds everything.
            outcome = StreamingFold.run(files, start: nil, undone: StreamingFold.undoTargets(files))
        }
        guard case .folded(let result) = outcome else {
            try loadInFull()
            return
        }
        state = result.state
        snapshotAllowed = true
        coverage = result.coverage
        lastSeq = result.lastSeq
        held = heldSeqs(files: files, coverage: result.coverage)
        if !state.latestClock.isFuture(now: now()) { saneLatestClock = state.latestClock }
        unfolded = []
        foldedSinceSnapshot = result.newEvents
        if result.newEvents >= CaseloadStore.snapshotThreshold { writeSnapshot(inBackground: snapshotInBackground) }
    }

    /// The journal files to fold: this device's first, then the others by name.
    func journalFiles() -> [StreamingFold.File] {
        let dir = DataDirectory.journalDirectory(dataDirectory)
        let own = journalPath
        var files = [StreamingFold.File(name: (own as NSString).lastPathComponent, path: own, isOwn: true, codec: codec)]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".journal") && name != files[0].name {
            files.append(StreamingFold.File(name: name, path: dir.appendingPathComponent(name).path, isOwn: false, codec: codec))
        }
        if journal == nil, !FileManager.default.fileExists(atPath: own) { files.removeFirst() }
        return files
    }

    /// Each device's held seq after a streaming fold. Appends and `receive` keep every device's
    /// file contiguous from seq 1, so the seq of a file's last record is how far it is held.
    private func heldSeqs(files: [StreamingFold.File], coverage: [String: FileCoverage]) -> [UUID: UInt64] {
        var held: [UUID: UInt64] = [:]
        let now = now()
        saneLatestClock = .zero
        for file in files {
            guard let c = coverage[file.name], c.lastRecordOffset >= 0,
                  let cursor = try? JournalCursor(path: file.path, from: c.lastRecordOffset), (try? cursor.next()) == true,
                  let e = try? cursor.withPayload({ try EventEnvelope.decode(bytes: $0) }) else { continue }
            held[e.device] = max(held[e.device, default: 0], e.seq)
            if !e.clock.isFuture(now: now) { saneLatestClock = max(saneLatestClock, e.clock) }
        }
        if lastSeq > 0 { held[device] = lastSeq }
        return held
    }

    /// A snapshot of `state` now, whatever has changed since the last (after an erasure).
    func refreshSnapshot() { writeSnapshot() }

    /// Saves `state` with what it covers, so the next open folds only what comes after.
    /// `inBackground`: on another core, so that an open which folded a whole journal (the
    /// first after an upgrade or a large sync: 17% of opening a million events) shows the list
    /// without waiting for it; the next snapshot, `close` and the store's end wait for it.
    private func writeSnapshot(inBackground: Bool = false) {
        finishSnapshotInFlight()
        guard canWriteCaches else { return }
        let snapshot = SnapshotFile(device: device, lastSeq: lastSeq, coverage: currentCoverage(), state: state)
        let dir = dataDirectory, sealer = codec.sealer
        let save: @Sendable () -> Bool = { sealer.map { snapshot.save(in: dir, sealer: $0) } ?? snapshot.save(in: dir) }
        if inBackground {
            snapshotInFlight = SnapshotInFlight(folded: foldedSinceSnapshot, save: save)
        } else if save() {
            foldedSinceSnapshot = 0
        }
        writeFollowupIndex()
    }

    /// Waits for a snapshot being written in the background; what was folded after it began
    /// stays counted for the next.
    func finishSnapshotInFlight() {
        guard let inFlight = snapshotInFlight else { return }
        snapshotInFlight = nil
        if inFlight.wait() { foldedSinceSnapshot -= min(foldedSinceSnapshot, inFlight.folded) }
    }

    /// Whether `state` is what the journals fold to, as a cache may record it.
    var canWriteCaches: Bool { snapshotAllowed && unfolded.isEmpty }

    /// What `state` covers of each journal file now, by name.
    func currentCoverage() -> [FileCoverage] {
        // Files appended since the load (our own, and replicas `receive` wrote to) now end later.
        for file in [journal].compactMap({ $0 }) + Array(replicaFiles.values) {
            let name = (file.path as NSString).lastPathComponent
            coverage[name] = FileCoverage(name: name, headerCRC: file.headerCRC, end: file.endOffset,
                                          lastRecordOffset: file.lastRecordOffset, lastRecordCRC: file.lastRecordCRC)
        }
        return coverage.values.sorted { $0.name < $1.name }
    }

    /// The careful path, for journals with anything irregular (damage, unreadable records, a
    /// file mid-append): reads every file whole, reports what it found, folds everything.
    /// No snapshot is written from here: the warnings must be seen again on the next open.
    private func loadInFull() throws {
        var events: [Event] = []
        var seen = Set<UUID>()
        var held: [UUID: UInt64] = [:]
        let ownPath = journalPath
        let now = now()
        saneLatestClock = .zero
        coverage = [:]
        for file in journalFiles() {
            let scan = try JournalFile.read(path: file.path)
            let path = file.path
            let isOwn = file.isOwn
            if let problem = scan.headerProblem {
                if isOwn, problem == .incomplete, scan.fileSize == 0 { continue }
                warnings.append("skipped \(path): \(JournalError.header(path: path, problem).description)")
                continue
            }
            // A write of many records cut short is never shown, in part or whole: opening for
            // writing drops it (see `JournalRecovery`), and a reader acts as if it had.
            let cutShort = scan.interruptedBatch
            // Our own torn tail was set aside (and reported) when the journal was opened; damage
            // inside a write cut short is told as that.
            for d in scan.damage where !(mode == .readWrite && isOwn && d.isTail) && !(cutShort?.contains(d.range.lowerBound) ?? false) {
                warnings.append("\(path): \(d.description)")
            }
            var skipped = 0
            let fileDevice = scan.header?.device
            var contiguous = held[fileDevice ?? device, default: 0]
            if let cutShort {
                let n = scan.records.filter { cutShort.contains($0.offset) }.count
                warnings.append("\(path): the last save of many records at once (an import, or the changes a sync brought in) was cut short by a crash; its \(n) readable record(s) are not shown, and opening the caseload for writing sets them aside")
            }
            for record in scan.records where !(cutShort?.contains(record.offset) ?? false) {
                guard let e = try? codec.event(from: record.payload) else {
                    // A sealed body that does not open is damage: its envelope still tells
                    // our own last seq, so no later append reuses it.
                    if path == ownPath, let env = try? EventEnvelope.decode(record.payload) { lastSeq = max(lastSeq, env.seq) }
                    skipped += 1
                    continue
                }
                if path == ownPath { lastSeq = max(lastSeq, e.seq) }
                if e.device == fileDevice, e.seq == contiguous + 1 { contiguous = e.seq }
                if seen.insert(e.id).inserted { events.append(e) }
                if !e.clock.isFuture(now: now) { saneLatestClock = max(saneLatestClock, e.clock) }
            }
            if let fileDevice, contiguous > 0 { held[fileDevice] = max(held[fileDevice, default: 0], contiguous) }
            if skipped > 0 { warnings.append("\(path): \(skipped) record(s) could not be read as events and were skipped (they stay in the file)") }
        }
        state = CaseloadState.fold(events)
        snapshotAllowed = false
        self.held = held
        unfolded = []
    }

    /// Appends events and folds them. When this returns they are on disk (fsynced).
    @discardableResult
    public func append(_ bodies: [EventBody]) throws -> [Event] {
        try append(bodies.map { PendingEvent($0) })
    }

    @discardableResult
    public func append(_ pending: [PendingEvent]) throws -> [Event] {
        var events: [Event] = []
        events.reserveCapacity(pending.count)
        try append(pending) { events.append(contentsOf: $0) }
        return events
    }

    /// Appends `pending` as one write, made, checked, written and folded `appendPiece` events at
    /// a time (`eachPiece` sees each piece's events once written), so that a write as large as a
    /// whole imported caseload is never held in memory several times over. It is all or
    /// nothing as any write is: one fsync at the end, and on any failure the journal is cut
    /// back and, if pieces were already folded, the state read again from disk.
    public func append<Pending: Collection<PendingEvent>>(_ pending: Pending, eachPiece: ([Event]) -> Void = { _ in }) throws {
        guard let journal else { throw StoreError.invalid("this caseload was opened read-only") }
        // One look at each event before anything is made: a large write's events are made
        // from the caller's records as they are needed, not held as a copy.
        var restricted: String?, erased: String?
        var erases = false, undoes = false
        for p in pending {
            let body = p.body
            if restricted == nil { restricted = state.restrictionRefusal(CollectionOfOne(body)) }
            if erased == nil { erased = state.erasureRefusal(CollectionOfOne(body)) }
            switch body {
            case .patientErased: erases = true
            case .changeUndone: undoes = true
            default: break
            }
        }
        // A restricted record is changed by nothing (`Restriction.swift`), whichever face asks.
        if let refusal = restricted ?? erased { throw StoreError.invalid(refusal + "; nothing was saved") }
        // A plain journal holds the record in clear and is never rewritten: only a person's key
        // can be destroyed (`Erasure.swift`).
        if !codec.isSealed, erases {
            throw StoreError.invalid("erasing needs an encrypted caseload: a plain journal holds the record in clear and is never rewritten (run `caseload encrypt` first); nothing was saved")
        }
        guard !pending.isEmpty else { return }
        var clock = localClock()
        var seq = lastSeq
        var ids = BatchedRandom()
        // Each event's clock is a tick past the one before, so the events are made in fold
        // order. They fold in place, piece by piece, when they come after everything folded;
        // otherwise (an undo, or an event from the future folded earlier) the whole caseload
        // is folded again once they are on disk, and the write is one piece so that each
        // record's person is found as in any other write (`subjects(of:)`).
        var inPlace = !undoes
        var foldedPieces = 0
        var lastPiece: [Event] = []
        func events(_ range: Range<Pending.Index>) -> [Event] {
            var made: [Event] = []
            made.reserveCapacity(pending.distance(from: range.lowerBound, to: range.upperBound))
            for p in pending[range] {
                seq += 1
                let c = p.clock.map { max($0, clock.tick(now: $0.wallMillis)) } ?? clock.tick(now: now())
                clock = c
                made.append(Event(id: p.id ?? UUID.version4(using: &ids), device: device, seq: seq, clock: c, author: p.author ?? workerId, body: p.body))
            }
            return made
        }
        do {
            try journal.append { write in
                var from = pending.startIndex
                while from != pending.endIndex {
                    var to = inPlace ? pending.index(from, offsetBy: CaseloadStore.appendPiece, limitedBy: pending.endIndex) ?? pending.endIndex : pending.endIndex
                    var piece = events(from..<to)
                    if from == pending.startIndex, inPlace, !state.canApplyIncrementally(piece[0]) {
                        inPlace = false
                        piece += events(to..<pending.endIndex)
                        to = pending.endIndex
                    }
                    let payloads = try CaseloadStore.checkedPayloads(piece, subjects: state.subjects(of: piece.map(\.body)), codec: codec)
                    // A key made for a new person is on disk before any record it seals.
                    try savePersonKeysIfChanged()
                    try write(payloads, to == pending.endIndex)
                    from = to
                    // The last piece is folded once the write is on disk; the ones before it
                    // now, as later pieces find their people in the state.
                    if from == pending.endIndex { lastPiece = piece; break }
                    if inPlace {
                        for e in piece { state.apply(e) }
                        foldedPieces += 1
                    }
                    eachPiece(piece)
                }
            }
        } catch {
            // Pieces folded before the write failed: the state goes back to what is on disk.
            if foldedPieces > 0 { try? load() }
            throw error
        }
        lastSeq = seq
        held[device] = seq
        saneLatestClock = max(saneLatestClock, clock)
        if inPlace {
            for e in lastPiece { state.apply(e) }
            foldedSinceSnapshot += pending.count
        } else {
            try load()
        }
        changedSinceOpen = true
        eachPiece(lastPiece)
        if erases { try destroyKeysOfErasedPeople() }
    }

    /// Events made, checked and written together in one piece of a large write.
    static let appendPiece = 8192
    /// The records for `events`, once each is known to be readable back: every field within
    /// its limit, every date storable, the encoded record below the reader's limit. Throws the
    /// first problem before anything is written.
    static func checkedPayloads(_ events: [Event], subjects: [UUID?]? = nil, codec: EventCodec = .plain) throws -> [Data] {
        try events.enumerated().map { i, e in
            if let problem = RecordLimits.problem(in: e) { throw StoreError.invalid(problem + "; nothing was saved") }
            guard let payload = codec.payload(for: e, person: subjects?[i] ?? nil) else {
                throw StoreError.invalid("a record is about someone erased: nothing about them can be recorded; nothing was saved")
            }
            if let problem = RecordLimits.problem(encodedSize: payload.count) { throw StoreError.invalid(problem + "; nothing was saved") }
            return payload
        }
    }

    /// The clock this device's next event continues from: the newest one known, except one
    /// from the future (a wrong or hostile clock elsewhere), which is kept but never adopted.
    func localClock() -> HLC {
        state.latestClock.isFuture(now: now()) ? saneLatestClock : state.latestClock
    }

    /// Undoes an earlier change with a compensating event; the journal keeps both.
    @discardableResult
    public func undo(eventId: UUID) throws -> Event {
        try append([.changeUndone(ChangeUndone(eventId: eventId))])[0]
    }

    /// Every event of this device's journal, in file order (for export, verify and undo).
    public func ownEvents() throws -> [Event] {
        var events: [Event] = []
        try forEachOwnEvent { events.append($0) }
        return events
    }

    /// Each event of this device's journal in file order, read a piece at a time (records
    /// that are not readable events are passed over, as `load` reports them).
    public func forEachOwnEvent(_ body: (Event) throws -> Void) throws {
        let cursor = try JournalCursor(path: journalPath, from: JournalFormat.headerSize)
        while try cursor.next() {
            if let e = try? cursor.withPayload({ try codec.event(from: $0) }) { try body(e) }
        }
    }

    /// This device's journal a write at a time: the events one change appended together (its
    /// records are marked as one write), in file order. Journals from before writes were
    /// marked give one event a write.
    public func forEachOwnWrite(_ body: ([Event]) throws -> Void) throws {
        let cursor = try JournalCursor(path: journalPath, from: JournalFormat.headerSize)
        var write: [Event] = []
        while try cursor.next() {
            if let e = try? cursor.withPayload({ try codec.event(from: $0) }) { write.append(e) }
            if !cursor.recordContinues, !write.isEmpty {
                try body(write)
                write = []
            }
        }
        // A write a crash cut short is not a change anyone was told was saved.
    }

    /// Writes a fresh snapshot when enough has changed since the last one (a clean exit).
    public func close() {
        finishSnapshotInFlight()
        if journal != nil, foldedSinceSnapshot >= CaseloadStore.snapshotThreshold { writeSnapshot() }
        // Changed since it was opened: `overdue` reads this rather than the whole caseload.
        else if journal != nil, changedSinceOpen { writeFollowupIndex() }
        journal?.close()
        journal = nil
        for file in replicaFiles.values { file.close() }
        replicaFiles = [:]
    }

    /// Folds events just stored that all come after everything folded (see `ReceivedFold`).
    func applyInPlace(_ events: [Event]) {
        for e in events { state.apply(e) }
        foldedSinceSnapshot += events.count
        changedSinceOpen = true
    }

    /// Takes a state folded afresh from the journals as they now stand (see `ReceivedFold`).
    func adoptFold(_ folded: CaseloadState) {
        state = folded
        foldedSinceSnapshot = max(foldedSinceSnapshot, CaseloadStore.snapshotThreshold)
        changedSinceOpen = true
    }

    /// Everything read and folded again, after a pull that could not be folded as it came.
    func reloadAfterReceiving() throws {
        try load()
        changedSinceOpen = true
    }

    /// Folds events just written to a journal: in place when they all come after everything
    /// folded so far, else (events from the past of the fold order, an undo) a full re-read.
    func fold(newEvents events: [Event]) throws {
        let sorted = events.sorted(by: Event.foldOrder)
        guard let first = sorted.first else { return }
        let hasUndo = sorted.contains { if case .changeUndone = $0.body { return true } else { return false } }
        if hasUndo || !state.canApplyIncrementally(first) {
            try load()
        } else {
            for e in sorted { state.apply(e) }
            foldedSinceSnapshot += sorted.count
        }
        changedSinceOpen = true
        if sorted.contains(where: { if case .patientErased = $0.body { return true } else { return false } }) {
            try destroyKeysOfErasedPeople()
        }
    }
}

/// One snapshot write on its own thread: the state it saves is a copy (the store's own goes on
/// changing), and `wait` gives whether it was saved.
final class SnapshotInFlight: @unchecked Sendable {
    /// Events the store had folded since its last snapshot when this one began.
    let folded: Int
    private let done = DispatchSemaphore(value: 0)
    // Written by the thread before it signals, read only after `wait`.
    private var saved = false

    init(folded: Int, save: @escaping @Sendable () -> Bool) {
        self.folded = folded
        Thread.detachNewThread { [self] in
            saved = save()
            done.signal()
        }
    }

    func wait() -> Bool {
        done.wait()
        done.signal()  // a second wait returns at once
        return saved
    }
}
