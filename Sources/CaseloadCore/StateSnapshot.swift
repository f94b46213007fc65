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
///
/// What each entity and state field writes is declared in Schema/caseload.schema and generated
/// (Generated/Schema+Snapshot.swift); this file keeps the framing around it.
public enum StateSnapshot {
    /// Everything the layout depends on beyond the code itself: the schema's fingerprint (any
    /// change to its snapshot part changes it) and every vocabulary's cases.
    public static let schema: String = {
        // A fold rule that gives the same events a different state (a merge's status history,
        // 2) makes old snapshots stale as surely as a new field: they are rebuilt from the journal.
        let foldRevision = 2
        func names<V: Vocabulary>(_: V.Type) -> String { V.allCases.map(\.rawValue).joined(separator: ",") }
        return ["schema \(schemaFingerprint)", "fold \(foldRevision)", names(PatientStatus.self), names(ReferralSource.self), names(ReferralReason.self),
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
        w.writeFields(of: state)
        // Sessions (the largest part, with the notes) last, and where they start at the very
        // end, so reading can decode them on another core at the same time as the rest.
        let sessionsAt = w.position
        w.sortedValues(state.sessions) { $0.writeSession($1) }
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
            let v = try r.keyed { try $0.readSession() }
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
        try r.readFields(into: &s)
        guard r.isAtEnd else { throw ReadError.badValue }
        return s
    }

    static func uuidBytesLess(_ a: UUID, _ b: UUID) -> Bool { a.sortsBefore(b) }

    /// What the reader checks beyond the layout: a person's earlier episodes each end after the
    /// one before it and within their status changes (a cache is not trusted).
    static func check(_ p: Patient) throws {
        let changes = p.statusHistory.count
        guard p.earlierEpisodes.allSatisfy({ $0.statusChangesUpTo >= 1 && $0.statusChangesUpTo <= changes }),
              zip(p.earlierEpisodes, p.earlierEpisodes.dropFirst()).allSatisfy({ $0.statusChangesUpTo < $1.statusChangesUpTo }) else {
            throw ReadError.badValue
        }
    }
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
        // In id order, so the same state writes the same bytes. The dictionary's own positions
        // are sorted, not its keys: each record is then reached without hashing its id again
        // (that lookup was 6% of a sync pull of 50,000 people, which ends with a snapshot).
        var order = Array(d.indices)
        order.sort { StateSnapshot.uuidBytesLess(d[$0].key, d[$1].key) }
        for i in order {
            write(&self, d[i].value)
            if bytes.count >= 1 << 20 { flush() }
        }
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
}
