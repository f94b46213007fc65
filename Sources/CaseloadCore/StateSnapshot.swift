import Foundation

/// A compact binary image of a `CaseloadState`, so opening a large caseload need not fold
/// every event again. It is only a cache: whoever stores it must be ready to throw it away
/// and fold the journal instead, so reading is strict and any doubt throws.
///
/// Layout: little-endian integers, strings as a length then UTF-8 bytes, optionals as a
/// presence byte, arrays and dictionaries as a count then elements (dictionaries sorted by
/// key, so equal states give equal bytes). Vocabulary values are stored as their position in
/// `allCases`; `StateSnapshot.schema` names every case, so a reordered or extended vocabulary
/// changes the schema and old snapshots are ignored.
public enum StateSnapshot {
    /// Bump when the layout below changes.
    public static let layoutVersion: UInt32 = 8

    /// Everything the layout depends on beyond the code itself.
    public static let schema: String = {
        func names<V: Vocabulary>(_: V.Type) -> String { V.allCases.map(\.rawValue).joined(separator: ",") }
        return ["v\(layoutVersion)", names(PatientStatus.self), names(ReferralSource.self), names(ReferralReason.self),
                names(SessionKind.self), names(GoalStatus.self), names(ConnectionStage.self), names(FollowupStatus.self),
                names(ConsentKind.self), names(Instrument.self), names(ConnectionRoute.self),
                names(ContactOutcome.self), names(RiskKind.self)].joined(separator: ";")
    }()

    public enum ReadError: Error, Equatable {
        case truncated, badValue, schemaMismatch
    }

    public static func encode(_ state: CaseloadState) -> [UInt8] {
        var all: [UInt8] = []
        encode(state) { all.append(contentsOf: $0) }
        return all
    }

    /// Encodes in pieces of about a megabyte handed to `emit`, so a large state is never
    /// doubled in memory by its own image.
    public static func encode(_ state: CaseloadState, emit: (UnsafeRawBufferPointer) -> Void) {
        withoutActuallyEscaping(emit) { emit in
            // The writer lives only inside this block, so `emit` never outlives the call.
            var w = SnapshotWriter(emit: emit)
            write(state, into: &w)
            w.flush()
        }
    }

    private static func write(_ state: CaseloadState, into w: inout SnapshotWriter) {
        w.string(schema)
        w.count(state.workers.count)
        for key in state.workers.keys.sorted() { w.worker(state.workers[key]!) }
        w.sortedValues(state.patients) { $0.patient($1) }
        w.sortedValues(state.drafts) { $0.draft($1) }
        w.sortedValues(state.goals) { $0.goal($1) }
        w.sortedValues(state.measures) { $0.measure($1) }
        w.sortedValues(state.services) { $0.service($1) }
        w.sortedValues(state.connections) { $0.connection($1) }
        w.sortedValues(state.followups) { $0.followup($1) }
        w.count(state.seqByDevice.count)
        for key in state.seqByDevice.keys.sorted(by: uuidBytesLess) { w.uuid(key); w.u64(state.seqByDevice[key]!) }
        w.clock(state.latestClock)
        w.int(state.eventCount)
        w.count(state.undone.count)
        for id in state.undone.sorted(by: uuidBytesLess) { w.uuid(id) }
        w.count(state.workerActivity.count)
        for key in state.workerActivity.keys.sorted() { w.string(key); w.activity(state.workerActivity[key]!) }
        // The risk register (layout 5).
        w.sortedValues(state.risks) { $0.risk($1) }
        w.count(state.noKnownRisks.count)
        for key in state.noKnownRisks.keys.sorted(by: uuidBytesLess) { w.uuid(key); w.day(state.noKnownRisks[key]!) }
        // Merged and told-apart records (layout 7).
        w.count(state.mergedInto.count)
        for key in state.mergedInto.keys.sorted(by: uuidBytesLess) { w.uuid(key); w.uuid(state.mergedInto[key]!) }
        let pairs = state.distinctPairs.sorted { ($0.first.uuidString, $0.second.uuidString) < ($1.first.uuidString, $1.second.uuidString) }
        w.count(pairs.count)
        for p in pairs { w.uuid(p.first); w.uuid(p.second) }
        // Sessions (the largest part, with the notes) last, and where they start at the very
        // end, so reading can decode them on another core at the same time as the rest.
        let sessionsAt = w.position
        w.sortedValues(state.sessions) { $0.session($1) }
        w.u64(UInt64(sessionsAt))
    }

    /// `consumed`, when given, hears now and then which byte ranges have been read, so a
    /// caller reading from a mapped file can let go of those pages. It may be called from
    /// another thread: the sessions are decoded on a second core while the rest is.
    public static func decode(_ bytes: UnsafeRawBufferPointer, consumed: (@Sendable (Range<Int>) -> Void)? = nil) throws -> CaseloadState {
        guard bytes.count >= 8 else { throw ReadError.truncated }
        let end = bytes.count - 8
        let sessionsAt = Int(clamping: UInt64(littleEndian: UnsafeRawBufferPointer(rebasing: bytes[end...]).loadUnaligned(as: UInt64.self)))
        guard sessionsAt <= end else { throw ReadError.truncated }
        nonisolated(unsafe) let bytes = bytes
        let sessions = BackgroundWork { () throws -> [UUID: Session] in
            var r = SnapshotReader(UnsafeRawBufferPointer(rebasing: bytes[sessionsAt..<end]), origin: sessionsAt)
            r.consumed = consumed
            let v = try r.keyed { try $0.session() }
            guard r.isAtEnd else { throw ReadError.badValue }
            return v
        }
        let rest = Result { try decodeAllButSessions(UnsafeRawBufferPointer(rebasing: bytes[0..<sessionsAt]), consumed: consumed) }
        // Always wait for the other thread, even after an error: it reads `bytes`.
        let sessionsResult = Result { try sessions.wait() }
        var s = try rest.get()
        s.sessions = try sessionsResult.get()
        return s
    }

    private static func decodeAllButSessions(_ bytes: UnsafeRawBufferPointer, consumed: (@Sendable (Range<Int>) -> Void)?) throws -> CaseloadState {
        var r = SnapshotReader(bytes, origin: 0)
        r.consumed = consumed
        guard try r.string() == schema else { throw ReadError.schemaMismatch }
        var s = CaseloadState()
        for _ in 0..<(try r.count()) { let v = try r.worker(); s.workers[v.id] = v }
        s.patients = try r.keyed { try $0.patient() }
        s.drafts = try r.keyed { try $0.draft() }
        s.goals = try r.keyed { try $0.goal() }
        s.measures = try r.keyed { try $0.measure() }
        s.services = try r.keyed { try $0.service() }
        s.connections = try r.keyed { try $0.connection() }
        s.followups = try r.keyed { try $0.followup() }
        let devices = try r.count()
        s.seqByDevice.reserveCapacity(devices)
        for _ in 0..<devices { s.seqByDevice[try r.uuid()] = try r.u64() }
        s.latestClock = try r.clock()
        s.eventCount = try r.int()
        let undone = try r.count()
        s.undone.reserveCapacity(undone)
        for _ in 0..<undone { s.undone.insert(try r.uuid()) }
        for _ in 0..<(try r.count()) { s.workerActivity[try r.string()] = try r.activity() }
        s.risks = try r.keyed { try $0.risk() }
        for _ in 0..<(try r.count()) { s.noKnownRisks[try r.uuid()] = try r.day() }
        for _ in 0..<(try r.count()) { s.mergedInto[try r.uuid()] = try r.uuid() }
        for _ in 0..<(try r.count()) { s.distinctPairs.insert(PatientPair(try r.uuid(), try r.uuid())) }
        guard r.isAtEnd else { throw ReadError.badValue }
        return s
    }

    static func uuidBytesLess(_ a: UUID, _ b: UUID) -> Bool { a.sortsBefore(b) }
}

/// Work started on another core now, its result (or error) collected by `wait`. Whoever
/// starts it must wait before anything the work reads goes away (`decode` always does).
public final class BackgroundWork<T: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    private var result: Result<T, Error>?

    public init(_ work: @escaping @Sendable () throws -> T) {
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = Result { try work() }
            self.group.leave()
        }
    }

    public func wait() throws -> T {
        group.wait()
        return try result!.get()
    }
}

extension UUID {
    /// The same order as comparing `uuidString`s (hex digits in byte order), without
    /// formatting strings: sorting thousands of ids by `uuidString` showed up in profiles.
    public func sortsBefore(_ other: UUID) -> Bool {
        withUnsafeBytes(of: uuid) { a in withUnsafeBytes(of: other.uuid) { b in a.lexicographicallyPrecedes(b) } }
    }
}

struct SnapshotWriter {
    var bytes: [UInt8] = []
    var emit: ((UnsafeRawBufferPointer) -> Void)?
    var flushed = 0

    /// Bytes written so far, flushed or not.
    var position: Int { flushed + bytes.count }

    /// Hands what has been written so far to `emit`.
    mutating func flush() {
        bytes.withUnsafeBytes { emit?($0) }
        flushed += bytes.count
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    mutating func count(_ n: Int) { u32(UInt32(n)) }
    mutating func bool(_ v: Bool) { u8(v ? 1 : 0) }
    mutating func uuid(_ v: UUID) { withUnsafeBytes(of: v.uuid) { bytes.append(contentsOf: $0) } }
    mutating func day(_ v: Day) { int(v.ordinal) }
    mutating func clock(_ v: HLC) { int(Int(v.wallMillis)); u32(v.counter) }
    mutating func string(_ v: String) {
        var v = v
        v.withUTF8 { count($0.count); bytes.append(contentsOf: $0) }
    }
    mutating func vocabulary<V: Vocabulary>(_ v: V) { u8(UInt8(V.allCases.firstIndex(of: v).map { V.allCases.distance(from: V.allCases.startIndex, to: $0) }!)) }
    mutating func optional<T>(_ v: T?, _ write: (inout SnapshotWriter, T) -> Void) {
        if let v { u8(1); write(&self, v) } else { u8(0) }
    }
    mutating func array<T>(_ v: [T], _ write: (inout SnapshotWriter, T) -> Void) {
        count(v.count)
        for x in v { write(&self, x) }
    }
    mutating func sortedValues<T>(_ d: [UUID: T], _ write: (inout SnapshotWriter, T) -> Void) {
        count(d.count)
        for key in d.keys.sorted(by: StateSnapshot.uuidBytesLess) {
            write(&self, d[key]!)
            if bytes.count >= 1 << 20 { flush() }
        }
    }

    mutating func worker(_ v: Worker) {
        string(v.id); string(v.name); optional(v.team) { $0.string($1) }; optional(v.role) { $0.string($1) }
    }

    mutating func patient(_ p: Patient) {
        uuid(p.id); string(p.name); optional(p.preferredName) { $0.string($1) }; optional(p.dateOfBirth) { $0.day($1) }
        optional(p.nhsNumber) { $0.string($1.digits) }; optional(p.phone) { $0.string($1) }
        optional(p.address) { $0.string($1) }; optional(p.gpPractice) { $0.string($1) }; optional(p.worker) { $0.string($1) }
        referral(p.referral)
        vocabulary(p.status)
        array(p.statusHistory) { w, c in w.vocabulary(c.status); w.day(c.date); w.optional(c.reason) { $0.string($1) } }
        count(p.consent.count)
        for kind in ConsentKind.allCases { if let c = p.consent[kind] { vocabulary(kind); bool(c.given); day(c.date) } }
        for ids in [p.sessionIDs, p.goalIDs, p.measureIDs, p.connectionIDs, p.followupIDs] { array(ids) { $0.uuid($1) } }
        optional(p.lastContact) { $0.day($1) }
        array(p.earlierEpisodes) { w, e in w.referral(e.referral); w.int(e.statusChangesUpTo) }
        array(p.mergedRecords) { w, m in w.uuid(m.id); w.string(m.name); w.referral(m.referral); w.vocabulary(m.status); w.day(m.mergedOn) }
        // Layout 8.
        optional(p.restriction) { w, r in w.day(r.since); w.string(r.reason); w.string(r.by) }
    }

    mutating func referral(_ r: Referral) {
        day(r.date); vocabulary(r.source); optional(r.referrer) { $0.string($1) }
        array(r.reasons) { $0.vocabulary($1) }; optional(r.text) { $0.string($1) }
    }

    mutating func session(_ s: Session) {
        uuid(s.id); uuid(s.patientId); day(s.date); vocabulary(s.kind); optional(s.minutes) { $0.int($1) }; string(s.author)
        array(s.versions) { w, v in
            w.uuid(v.eventId); w.string(v.text); w.string(v.author); w.clock(v.clock); w.optional(v.basedOn) { $0.uuid($1) }
        }
        vocabulary(s.outcome)
    }

    mutating func risk(_ v: Risk) {
        uuid(v.id); uuid(v.patientId); vocabulary(v.kind); optional(v.note) { $0.string($1) }; optional(v.raisedWith) { $0.string($1) }
        day(v.date); string(v.recordedBy); optional(v.resolvedOn) { $0.day($1) }; optional(v.resolveReason) { $0.string($1) }
    }

    mutating func draft(_ d: Draft) {
        uuid(d.id); uuid(d.patientId); optional(d.sessionId) { $0.uuid($1) }; day(d.date); vocabulary(d.kind)
        optional(d.minutes) { $0.int($1) }; string(d.text); string(d.author); clock(d.savedAt)
        vocabulary(d.outcome)
    }

    mutating func goal(_ g: Goal) {
        uuid(g.id); uuid(g.patientId); string(g.text); day(g.created); vocabulary(g.status)
        array(g.progress) { w, p in w.day(p.date); w.int(p.score) }
    }

    mutating func measure(_ m: Measure) {
        uuid(m.id); uuid(m.patientId); vocabulary(m.instrument); array(m.answers) { $0.int($1) }; day(m.date)
    }

    mutating func service(_ s: Service) {
        uuid(s.id); string(s.name)
        for v in [s.organisation, s.category, s.contact, s.address, s.times, s.externalId, s.source, s.lastModified] {
            optional(v) { $0.string($1) }
        }
        optional(s.delistedOn) { $0.day($1) }
        let d = s.details
        for v in [d.description, d.eligibility, d.ageRange, d.cost, d.languages, d.accessibility, d.areas, d.postcodes] { optional(v) { $0.string($1) } }
    }

    mutating func activity(_ a: WorkerActivity) {
        clock(a.lastEvent); optional(a.lastSync) { $0.clock($1) }; optional(a.lastSyncTarget) { $0.string($1) }
    }

    mutating func connection(_ c: Connection) {
        uuid(c.id); uuid(c.patientId); uuid(c.serviceId); vocabulary(c.stage); bool(c.accompanied)
        array(c.history) { w, h in w.vocabulary(h.stage); w.day(h.date); w.optional(h.reason) { $0.string($1) } }
        vocabulary(c.route)
    }

    mutating func followup(_ f: Followup) {
        uuid(f.id); uuid(f.patientId); day(f.due); optional(f.reason) { $0.string($1) }; optional(f.worker) { $0.string($1) }
        vocabulary(f.status)
        array(f.reschedules) { w, c in w.day(c.date); w.day(c.from); w.day(c.to); w.optional(c.reason) { $0.string($1) } }
        optional(f.closedOn) { $0.day($1) }; optional(f.closeReason) { $0.string($1) }; optional(f.conflict) { $0.string($1) }
    }
}

/// Reads what `SnapshotWriter` wrote; every read checks bounds and throws rather than trap.
struct SnapshotReader {
    let p: UnsafeRawBufferPointer
    var at = 0
    /// Where `p` starts in the whole snapshot, for `consumed`.
    let origin: Int
    var consumed: (@Sendable (Range<Int>) -> Void)?
    private var reported = 0

    init(_ p: UnsafeRawBufferPointer, origin: Int = 0) {
        self.p = p
        self.origin = origin
    }

    var isAtEnd: Bool { at == p.count }

    mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
        guard n >= 0, p.count - at >= n else { throw StateSnapshot.ReadError.truncated }
        defer { at += n }
        return UnsafeRawBufferPointer(rebasing: p[at..<at + n])
    }

    mutating func u8() throws -> UInt8 { try take(1)[0] }
    mutating func u32() throws -> UInt32 { UInt32(littleEndian: try take(4).loadUnaligned(as: UInt32.self)) }
    mutating func u64() throws -> UInt64 { UInt64(littleEndian: try take(8).loadUnaligned(as: UInt64.self)) }
    mutating func int() throws -> Int { Int(Int64(bitPattern: try u64())) }
    mutating func count() throws -> Int {
        let n = Int(try u32())
        // Every element takes at least one byte: a larger count is damage, not data.
        guard n <= p.count - at else { throw StateSnapshot.ReadError.truncated }
        return n
    }
    mutating func bool() throws -> Bool {
        switch try u8() { case 0: return false; case 1: return true; default: throw StateSnapshot.ReadError.badValue }
    }
    mutating func uuid() throws -> UUID {
        var u: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let b = try take(16)
        withUnsafeMutableBytes(of: &u) { $0.copyMemory(from: b) }
        return UUID(uuid: u)
    }
    mutating func day() throws -> Day { Day(ordinal: try int()) }
    mutating func clock() throws -> HLC {
        let wall = Int64(try int())
        return HLC(wallMillis: wall, counter: try u32())
    }
    mutating func string() throws -> String { String(decoding: try take(try count()), as: UTF8.self) }
    mutating func vocabulary<V: Vocabulary>() throws -> V {
        let i = Int(try u8())
        guard i < V.allCases.count else { throw StateSnapshot.ReadError.badValue }
        return V.allCases[V.allCases.index(V.allCases.startIndex, offsetBy: i)]
    }
    mutating func optional<T>(_ read: (inout SnapshotReader) throws -> T) throws -> T? {
        try bool() ? try read(&self) : nil
    }
    mutating func array<T>(_ read: (inout SnapshotReader) throws -> T) throws -> [T] {
        let n = try count()
        var out: [T] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try read(&self)) }
        return out
    }
    mutating func keyed<T: Identifiable>(_ read: (inout SnapshotReader) throws -> T) throws -> [UUID: T] where T.ID == UUID {
        let n = try count()
        var out: [UUID: T] = [:]
        out.reserveCapacity(n)
        for _ in 0..<n {
            let v = try read(&self)
            out[v.id] = v
            if let consumed, at - reported >= 4 << 20 {
                consumed(origin + reported..<origin + at)
                reported = at
            }
        }
        return out
    }

    mutating func worker() throws -> Worker {
        Worker(id: try string(), name: try string(), team: try optional { try $0.string() }, role: try optional { try $0.string() })
    }

    mutating func patient() throws -> Patient {
        let id = try uuid(), name = try string(), preferred = try optional { try $0.string() }
        let dob = try optional { try $0.day() }
        let nhs = try optional { NHSNumber(verifiedDigits: try $0.string()) }
        let phone = try optional { try $0.string() }, address = try optional { try $0.string() }
        let gp = try optional { try $0.string() }, worker = try optional { try $0.string() }
        let referral = try self.referral()
        let status: PatientStatus = try vocabulary()
        let history = try array { r in StatusChange(status: try r.vocabulary(), date: try r.day(), reason: try r.optional { try $0.string() }) }
        var consent: [ConsentKind: Consent] = [:]
        for _ in 0..<(try count()) {
            let kind: ConsentKind = try vocabulary()
            consent[kind] = Consent(given: try bool(), date: try day())
        }
        var p = Patient(id: id, name: name, preferredName: preferred, dateOfBirth: dob, nhsNumber: nhs, phone: phone,
                        address: address, gpPractice: gp, worker: worker, referral: referral, status: status,
                        statusHistory: history, consent: consent)
        p.sessionIDs = try array { try $0.uuid() }
        p.goalIDs = try array { try $0.uuid() }
        p.measureIDs = try array { try $0.uuid() }
        p.connectionIDs = try array { try $0.uuid() }
        p.followupIDs = try array { try $0.uuid() }
        p.lastContact = try optional { try $0.day() }
        p.earlierEpisodes = try array { r in
            let e = EarlierEpisode(referral: try r.referral(), statusChangesUpTo: try r.int())
            // Each episode ends after the one before it and within the person's status changes.
            guard (1...history.count).contains(e.statusChangesUpTo) else { throw StateSnapshot.ReadError.badValue }
            return e
        }
        guard zip(p.earlierEpisodes, p.earlierEpisodes.dropFirst()).allSatisfy({ $0.statusChangesUpTo < $1.statusChangesUpTo }) else {
            throw StateSnapshot.ReadError.badValue
        }
        p.mergedRecords = try array { r in
            MergedRecord(id: try r.uuid(), name: try r.string(), referral: try r.referral(), status: try r.vocabulary(), mergedOn: try r.day())
        }
        p.restriction = try optional { r in Restriction(since: try r.day(), reason: try r.string(), by: try r.string()) }
        return p
    }

    mutating func referral() throws -> Referral {
        Referral(date: try day(), source: try vocabulary(), referrer: try optional { try $0.string() },
                 reasons: try array { try $0.vocabulary() }, text: try optional { try $0.string() })
    }

    mutating func session() throws -> Session {
        Session(id: try uuid(), patientId: try uuid(), date: try day(), kind: try vocabulary(),
                minutes: try optional { try $0.int() }, author: try string(),
                versions: try array { r in
                    NoteVersion(eventId: try r.uuid(), text: try r.string(), author: try r.string(), clock: try r.clock(),
                                basedOn: try r.optional { try $0.uuid() })
                },
                outcome: try vocabulary())
    }

    mutating func risk() throws -> Risk {
        Risk(id: try uuid(), patientId: try uuid(), kind: try vocabulary(), note: try optional { try $0.string() },
             raisedWith: try optional { try $0.string() }, date: try day(), recordedBy: try string(),
             resolvedOn: try optional { try $0.day() }, resolveReason: try optional { try $0.string() })
    }

    mutating func draft() throws -> Draft {
        Draft(id: try uuid(), patientId: try uuid(), sessionId: try optional { try $0.uuid() }, date: try day(),
              kind: try vocabulary(), minutes: try optional { try $0.int() }, text: try string(), author: try string(),
              savedAt: try clock(), outcome: try vocabulary())
    }

    mutating func goal() throws -> Goal {
        Goal(id: try uuid(), patientId: try uuid(), text: try string(), created: try day(), status: try vocabulary(),
             progress: try array { r in ProgressPoint(date: try r.day(), score: try r.int()) })
    }

    mutating func measure() throws -> Measure {
        Measure(id: try uuid(), patientId: try uuid(), instrument: try vocabulary(), answers: try array { try $0.int() }, date: try day())
    }

    mutating func service() throws -> Service {
        Service(id: try uuid(), name: try string(), organisation: try optional { try $0.string() },
                category: try optional { try $0.string() }, contact: try optional { try $0.string() },
                address: try optional { try $0.string() }, times: try optional { try $0.string() },
                externalId: try optional { try $0.string() }, source: try optional { try $0.string() },
                lastModified: try optional { try $0.string() }, delistedOn: try optional { try $0.day() },
                details: try serviceDetails())
    }

    mutating func serviceDetails() throws -> ServiceDetails {
        ServiceDetails(description: try optional { try $0.string() }, eligibility: try optional { try $0.string() }, ageRange: try optional { try $0.string() }, cost: try optional { try $0.string() }, languages: try optional { try $0.string() }, accessibility: try optional { try $0.string() }, areas: try optional { try $0.string() }, postcodes: try optional { try $0.string() })
    }

    mutating func activity() throws -> WorkerActivity {
        var a = WorkerActivity()
        a.lastEvent = try clock()
        a.lastSync = try optional { try $0.clock() }
        a.lastSyncTarget = try optional { try $0.string() }
        return a
    }

    mutating func connection() throws -> Connection {
        Connection(id: try uuid(), patientId: try uuid(), serviceId: try uuid(), stage: try vocabulary(), accompanied: try bool(),
                   history: try array { r in StageChange(stage: try r.vocabulary(), date: try r.day(), reason: try r.optional { try $0.string() }) },
                   route: try vocabulary())
    }

    mutating func followup() throws -> Followup {
        Followup(id: try uuid(), patientId: try uuid(), due: try day(), reason: try optional { try $0.string() },
                 worker: try optional { try $0.string() }, status: try vocabulary(),
                 reschedules: try array { r in
                     FollowupChange(date: try r.day(), from: try r.day(), to: try r.day(), reason: try r.optional { try $0.string() })
                 },
                 closedOn: try optional { try $0.day() }, closeReason: try optional { try $0.string() },
                 conflict: try optional { try $0.string() })
    }
}
