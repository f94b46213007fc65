import Foundation
import CaseloadCore
import CaseloadJournal

/// Sync with a team's PostgreSQL server: take in the events of every device the server lets us
/// see (our team's), then send ours. Events are only ever inserted, keyed (device, seq), so a
/// sync cut off at any point and run again carries on where it stopped, with no duplicates.
public final class PostgresSync {
    public let store: CaseloadStore
    public let db: PostgresConnection
    /// Our events per INSERT (each its own transaction), and per progress report.
    public var pushBatch = 5_000
    /// Events per SELECT when pulling.
    public var pullPage = 10_000
    public var progress: ((SyncProgress) -> Void)?
    /// Asked between pages and batches: true stops the sync (Esc in the app) with
    /// `SyncError.cancelled`; what was exchanged so far is kept.
    public var shouldCancel: (() -> Bool)?
    /// Record a `device.synced` when the last one is older than this even if nothing went out.
    public var recordEvery: Int64 = 3_600_000

    public static let target = "postgres"

    public init(store: CaseloadStore, db: PostgresConnection) {
        self.store = store
        self.db = db
    }

    /// A device the server lets us see, and the highest seq it holds of it.
    struct RemoteDevice {
        var device: UUID
        var maxSeq: UInt64
    }

    public func run() throws -> SyncReport {
        // Every check comes before anything is written, here or on the server.
        try ServerSchema.check(db)
        guard let me = try ServerWorkers.me(db) else { throw ServerError.notAWorker(role: db.user) }
        guard me.workerId == store.workerId else {
            throw ServerError.workerMismatch(local: store.workerId, server: me.workerId, role: me.role)
        }
        try registerDevice(me)
        var remote = try remoteDevices()
        var serverOwn = remote.first { $0.device == store.device }?.maxSeq ?? 0
        var forkMessage: String?
        if let forkSeq = try forkSeq(serverOwn: serverOwn) {
            // Another copy of this data folder (a restored backup, a copied laptop) already sent
            // different events under our seqs: ours go on under a new device id, and the server's
            // branch of the old one comes in as any colleague's events do.
            let fork = try store.continueAsNewDevice(forkedAt: forkSeq)
            forkMessage = fork.message
            try registerDevice(me)
            remote = try remoteDevices()
            serverOwn = 0
        }
        try rememberServer()

        var report = SyncReport(target: Self.target)
        if let forkMessage { report.problems.append(forkMessage) }
        let keyCopies = ServerPersonKeys(db: db, device: store.device, workerId: me.workerId, team: me.team)
        let erasedBefore = try PersonKeyExchange.run(store, keyCopies, &report)
        try pull(remote.filter { $0.device != store.device }, &report)
        let unsent = try push(after: serverOwn, team: me.team, &report)
        try PersonKeyExchange.afterEvents(store, keyCopies, erasedBefore: erasedBefore, &report)
        try reportUnsent(unsent, me)
        let notOnServer = try teamUnsent()

        var record = SyncRecord.load(store.dataDirectory)
        record.last = SyncRecord.Last(target: Self.target, place: db.address.description, at: store.now(), sent: report.sent,
                                      received: report.received, devices: report.devices, pushedSeq: serverOwn + UInt64(report.sent))
        record.postgresURL = db.address.url
        record.notOnServer = notOnServer.isEmpty ? nil : notOnServer
        try record.save(store.dataDirectory)
        return report
    }

    /// The first seq where the server's events of this device and our journal disagree, or nil
    /// when ours continues the server's: the last seq both hold is compared (one lookup), and
    /// only when it differs is the first difference found by halving.
    private func forkSeq(serverOwn: UInt64) throws -> UInt64? {
        guard serverOwn > 0 else { return nil }
        let common = min(serverOwn, store.lastSeq)
        let device = store.device.lowercasedString
        func serverId(_ seq: UInt64) throws -> UUID? {
            let r = try db.query("SELECT id FROM caseload.events WHERE device = $1 AND seq = $2", [device, "\(seq)"])
            return r.count == 1 ? r.string(0, 0).flatMap(UUID.init(uuidString:)) : nil
        }
        func ourId(_ seq: UInt64, _ ours: [(seq: UInt64, payload: Data)]) -> UUID? {
            ours.first { $0.seq == seq }.flatMap { try? EventEnvelope.decode($0.payload) }?.id
        }
        guard common > 0 else { return 1 }
        let tail = try store.payloads(of: store.device, after: common - 1)
        if try serverId(common) == ourId(common, tail) {
            // The server has events of ours that we do not (a journal restored from a backup):
            // our next ones would reuse their seqs.
            return serverOwn > store.lastSeq ? store.lastSeq + 1 : nil
        }
        let all = try store.payloads(of: store.device, after: 0)
        var low: UInt64 = 1, high = common
        while low < high {
            let mid = (low + high) / 2
            if try serverId(mid) != ourId(mid, all) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Once every check has passed, and before any event moves: a
    /// first sync that is killed or times out can then be run again without --url. (A URL
    /// that does not get this far, mistyped or refused, is not remembered.)
    private func rememberServer() throws {
        var record = SyncRecord.load(store.dataDirectory)
        guard let url = db.address.url, record.postgresURL != url else { return }
        record.postgresURL = url
        try record.save(store.dataDirectory)
    }

    /// The first sync from a device claims it for the logged-in worker; after that only that
    /// worker's role may send its events (the insert policy checks).
    private func registerDevice(_ me: ServerWorkers.Worker) throws {
        let id = store.device.lowercasedString
        var owner = try db.query("SELECT worker_id FROM caseload.devices WHERE device = $1", [id])
        if owner.count == 0 {
            try db.query("INSERT INTO caseload.devices (device, worker_id, team) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                         [id, me.workerId, me.team])
            owner = try db.query("SELECT worker_id FROM caseload.devices WHERE device = $1", [id])
        }
        guard owner.count == 1, owner.string(0, 0) == me.workerId else { throw ServerError.deviceTaken }
    }

    /// Every device of our team the server holds events of, with its highest seq (an index
    /// lookup per device, so this stays quick however many events there are).
    private func remoteDevices() throws -> [RemoteDevice] {
        let r = try db.query("""
            SELECT d.device, (SELECT e.seq FROM caseload.events e WHERE e.device = d.device ORDER BY e.seq DESC LIMIT 1)
            FROM caseload.devices d ORDER BY d.device
            """)
        return (0..<r.count).compactMap { row in
            guard let device = r.string(row, 0).flatMap(UUID.init(uuidString:)) else { return nil }
            return RemoteDevice(device: device, maxSeq: r.string(row, 1).flatMap(UInt64.init) ?? 0)
        }
    }

    // MARK: Pull

    /// Takes in, through the engine, the events of every device of the team after the ones we hold.
    private func pull(_ devices: [RemoteDevice], _ report: inout SyncReport) throws {
        let engine = SyncEngine(store: store, pageSize: pullPage, progress: progress, shouldCancel: shouldCancel)
        try engine.pull(PostgresTransport(db: db, devices: devices), &report)
    }

    // MARK: Push

    /// Returns how many of our events stayed behind.
    private func push(after serverOwn: UInt64, team: String, _ report: inout SyncReport) throws -> Int {
        report.recorded = try store.recordSyncIfDue(target: Self.target, unsent: serverOwn < store.lastSeq, every: recordEvery)
        // The server takes only our own events, in seq order: send up to the first by someone
        // else (history brought in by an older caseload, demo data), then say what stayed.
        let engine = SyncEngine(store: store, pageSize: pushBatch, progress: progress, shouldCancel: shouldCancel)
        let workerId = store.workerId
        let (sent, refused) = try engine.push(after: serverOwn, write: { try insert($0, team: team) },
                                              sendable: { (try? EventEnvelope.decode($0))?.author == workerId })
        report.sent = sent
        let unsent = Int(store.lastSeq > serverOwn ? store.lastSeq - serverOwn : 0) - sent
        if let refused {
            let author = (try? EventEnvelope.decode(refused.payload)).map { "by '\($0.author)'" } ?? "unreadable"
            report.sendFailed = true
            report.problems.append("\(unsent) of this device's events were not sent: the server accepts only events you wrote yourself, and event seq \(refused.seq) is \(author) (demo data?), so neither it nor any after it can go")
        }
        return unsent
    }

    /// Tells the server how many events this device could not send, when that changed, so the
    /// team view shows it on every device of the team.
    private func reportUnsent(_ count: Int, _ me: ServerWorkers.Worker) throws {
        let id = store.device.lowercasedString
        let last = try db.query("SELECT events FROM caseload.unsent WHERE device = $1 ORDER BY reported_at DESC LIMIT 1", [id])
        let previous = last.count == 0 ? 0 : Int(last.string(0, 0) ?? "0") ?? 0
        guard previous != count else { return }
        try db.query("INSERT INTO caseload.unsent (device, worker_id, team, events) VALUES ($1, $2, $3, $4)",
                     [id, me.workerId, me.team, "\(min(count, Int(Int32.max)))"])
    }

    /// Per worker of our team: events their devices last said they could not send.
    private func teamUnsent() throws -> [String: Int] {
        let r = try db.query("""
            SELECT worker_id, sum(events) FROM (
              SELECT DISTINCT ON (device) worker_id, events FROM caseload.unsent ORDER BY device, reported_at DESC) AS latest
            WHERE events > 0 GROUP BY worker_id
            """)
        var result: [String: Int] = [:]
        for row in 0..<r.count { if let w = r.string(row, 0), let n = r.string(row, 1).flatMap(Int.init) { result[w] = n } }
        return result
    }

    /// One statement, so one transaction: the server derives the columns from each payload and
    /// the check constraint and policies confirm them (reading a \u0000 escape as a space, as
    /// the check constraint does: PostgreSQL cannot make text of it). Payloads are compact JSON, which never
    /// holds a raw line break, so they travel as one text parameter, a line each.
    private func insert(_ payloads: [Data], team: String) throws {
        var text = Data()
        text.reserveCapacity(payloads.reduce(0) { $0 + $1.count + 1 })
        for p in payloads {
            guard !p.contains(0x0A), !p.contains(0) else { throw ServerError.refused("an event on this device is not compact JSON; nothing more was sent") }
            if !text.isEmpty { text.append(0x0A) }
            text.append(p)
        }
        do {
            try db.query("""
                INSERT INTO caseload.events (device, seq, id, clock_ms, clock_counter, author, team, type, payload)
                SELECT (j->>'device')::uuid, (j->>'seq')::bigint, (j->>'id')::uuid,
                       split_part(j->>'clock', '.', 1)::bigint, split_part(j->>'clock', '.', 2)::int,
                       j->>'author', $2, j->>'type', p
                FROM (SELECT convert_to(line, 'UTF8') AS p, replace(line, '\\u0000', '\\u0020')::jsonb AS j
                      FROM unnest(string_to_array($1, E'\\n')) AS line) AS s
                ON CONFLICT DO NOTHING
                """, [String(decoding: text, as: UTF8.self), team])
        } catch PostgresError.query(let state, _) where state == "42501" {
            throw ServerError.refused("the server accepts only events you wrote yourself, from this device, and this device holds events by someone else (demo data?); nothing more was sent")
        } catch PostgresError.query(let state, _) where state == "23514" || state?.hasPrefix("22") == true {
            throw ServerError.refused("the server found an event on this device whose contents do not match its record; nothing more was sent")
        }
    }
}

/// The team server as the engine's other side: a feed per device of the team it holds more
/// events of than we do, read with one SELECT a page. Each row's author column goes with its
/// bytes, so the engine can refuse a row whose contents name someone else.
final class PostgresTransport: SyncTransport {
    let db: PostgresConnection
    let devices: [PostgresSync.RemoteDevice]

    init(db: PostgresConnection, devices: [PostgresSync.RemoteDevice]) {
        self.db = db
        self.devices = devices
    }

    func feeds(held: [UUID: UInt64], report: inout SyncReport) throws -> [SyncFeed] {
        devices.filter { $0.maxSeq > held[$0.device, default: 0] }.map { Device(db: db, remote: $0, held: held[$0.device, default: 0]) }
    }

    final class Device: SyncFeed {
        let db: PostgresConnection
        let remote: PostgresSync.RemoteDevice
        let expected: Int?

        init(db: PostgresConnection, remote: PostgresSync.RemoteDevice, held: UInt64) {
            self.db = db
            self.remote = remote
            expected = Int(remote.maxSeq - held)
        }

        var device: UUID { remote.device }
        var label: String { "events of device \(remote.device.lowercasedString) on the server" }

        func nextPage(after held: UInt64, limit: Int) throws -> [IncomingRecord] {
            guard held < remote.maxSeq else { return [] }
            let r = try db.query("""
                SELECT seq, payload, author FROM caseload.events
                WHERE device = $1 AND seq > $2 ORDER BY seq LIMIT $3
                """, [remote.device.lowercasedString, "\(held)", "\(limit)"], binary: true)
            return (0..<r.count).map { IncomingRecord(payload: r.data($0, 1) ?? Data(), recordedAuthor: r.data($0, 2)) }
        }

        func finish(complete: Bool, report: inout SyncReport) throws {}
    }
}
