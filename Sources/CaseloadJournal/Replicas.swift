import Foundation
import CaseloadCore
import CaseloadCrypto

/// Why events from another device were not (all) stored. Never names a person or quotes a note.
public enum ReplicaError: Error, Equatable, CustomStringConvertible {
    case readOnly
    case ownDevice
    /// `reason`: the decoder's, which names a field and what is wrong with it, never its text.
    case undecodable(index: Int, reason: String)
    case wrongDevice(index: Int)
    case gap(device: UUID, expected: UInt64, found: UInt64)

    public var description: String {
        switch self {
        case .readOnly: return "this caseload was opened read-only; events from other devices cannot be stored"
        case .ownDevice: return "refusing to store events under this device's own id: they can only come from this device"
        case let .undecodable(i, reason): return "event \(i + 1) of the batch is not a readable event (\(reason)); nothing from it on was stored"
        case .wrongDevice(let i): return "event \(i + 1) of the batch belongs to a different device; nothing from it on was stored"
        case let .gap(device, expected, found):
            return "events of device \(device.lowercasedString) jump from seq \(expected - 1) to \(found); nothing from the gap on was stored"
        }
    }
}

/// Other devices' events, each device in its own local journal `journal/<device>.journal`:
/// what sync compares (`heldSeqs`), sends on (`payloads`) and stores (`receive`).
extension CaseloadStore {
    /// Highest seq held locally for each device (own and replicas), contiguous from 1.
    public func heldSeqs() throws -> [UUID: UInt64] { held }

    /// Raw event payloads (the exact JSON bytes of each record) of `device` with seq > `after`, in seq order.
    public func payloads(of device: UUID, after seq: UInt64) throws -> [(seq: UInt64, payload: Data)] {
        let top = held[device, default: 0]
        guard top > seq else { return [] }
        let path = DataDirectory.journalPath(dataDirectory, device: device)
        let scan = try JournalFile.read(path: path)
        guard scan.header?.device == device else { return [] }
        var result: [(seq: UInt64, payload: Data)] = []
        result.reserveCapacity(Int(top - seq))
        var next = seq + 1
        // Records are in seq order; one written twice (a duplicate) is passed over.
        for record in scan.records {
            guard let e = try? EventEnvelope.decode(record.payload), e.device == device, e.seq == next else { continue }
            result.append((e.seq, record.payload))
            next += 1
            if e.seq == top { break }
        }
        return result
    }

    /// This device's events with seq > `after`, in seq order, `limit` at a time (what a push
    /// sends), read from the journal a piece at a time so a long history is never held whole.
    /// `body` returns false to stop.
    public func forEachOwnPage(after seq: UInt64, limit: Int, _ body: ([(seq: UInt64, payload: Data)]) throws -> Bool) throws {
        let top = held[device, default: 0]
        guard top > seq else { return }
        let cursor = try JournalCursor(path: journalPath, from: JournalFormat.headerSize)
        var page: [(seq: UInt64, payload: Data)] = []
        var next = seq + 1
        // Records are in seq order; one written twice (a duplicate) is passed over.
        while next <= top, try cursor.next() {
            guard let e = try? cursor.withPayload({ try EventEnvelope.decode(bytes: $0) }), e.device == device, e.seq == next else { continue }
            page.append((e.seq, cursor.withPayload { Data($0) }))
            next += 1
            if page.count == limit {
                guard try body(page) else { return }
                page = []
            }
        }
        if next <= top, cursor.stoppedAtDamage {
            // Damage in the middle of our journal: the whole-file reader steps over it.
            for record in try payloads(of: device, after: next - 1) {
                page.append(record)
                if page.count == limit {
                    guard try body(page) else { return }
                    page = []
                }
            }
        }
        if !page.isEmpty { _ = try body(page) }
    }

    /// Stores events of another device: each payload must decode, belong to `device` (never our own device),
    /// and continue that device's local replica without a gap (already-held seqs are skipped as duplicates;
    /// a gap is an error that stores nothing from the gap on). Appends to journal/<device>.journal with the
    /// same framing (one write + fsync per batch), under that file's flock, then folds the new events into
    /// `state` and merges their clocks into ours (so our next local event orders after them).
    /// Returns how many were newly stored.
    @discardableResult
    public func receive(device: UUID, payloads: [Data]) throws -> Int {
        try receive(device: device, payloads: payloads, deferFold: false)
    }

    /// The same, and with `deferFold` the events are stored but folded only by `foldReceived()`:
    /// a long pull in batches then folds once instead of once per batch.
    @discardableResult
    public func receive(device: UUID, payloads: [Data], deferFold: Bool) throws -> Int {
        var events: [Event] = []
        var undecodable: ReplicaError?
        for (i, payload) in payloads.enumerated() {
            do { events.append(try codec.event(from: payload)) } catch { undecodable = .undecodable(index: i, reason: "\(error)"); break }
        }
        let before = held[device, default: 0]
        let stored = try storeReceived(device: device, events: events[...], payloads: payloads[..<events.count])
        let after = held[device, default: 0]
        let accepted = events.filter { $0.seq > before && $0.seq <= after }
        if !accepted.isEmpty {
            if deferFold { unfolded.append(contentsOf: accepted) } else { try fold(newEvents: accepted) }
        }
        // The first problem in the batch: one among the readable records comes before it.
        if let failure = stored.refusal ?? undecodable { throw failure }
        return stored.count
    }

    /// What `storeReceived` stored, and why it stopped short, if it did.
    public struct StoredRecords {
        /// How many were newly stored (held seqs tell which).
        public var count: Int
        /// The record that stopped it; everything before it is stored.
        public var refusal: ReplicaError?
    }

    /// Stores events of another device that were already read and checked (the sync engine's
    /// pages), without folding them: `events[i]` is the decoded `payloads[i]`. Each must belong
    /// to `device` (never our own) and continue its local replica without a gap (already-held
    /// seqs are passed over as duplicates; a gap stores nothing from it on). One write + fsync
    /// under that file's flock. Throws only when nothing could be written.
    public func storeReceived(device: UUID, events: ArraySlice<Event>, payloads: ArraySlice<Data>) throws -> StoredRecords {
        guard mode == .readWrite else { throw ReplicaError.readOnly }
        guard device != self.device else { throw ReplicaError.ownDevice }
        let before = held[device, default: 0]
        var top = before
        var acceptedPayloads: [Data] = []
        acceptedPayloads.reserveCapacity(payloads.count)
        var refusal: ReplicaError?
        var latestSane: HLC?, latestFuture: HLC?
        let now = now()
        // By index and field, so no event is copied whole.
        for (i, (j, k)) in zip(events.indices, payloads.indices).enumerated() {
            guard events[j].device == device else { refusal = .wrongDevice(index: i); break }
            let seq = events[j].seq, clock = events[j].clock
            if seq <= top { continue }
            guard seq == top + 1 else { refusal = .gap(device: device, expected: top + 1, found: seq); break }
            top = seq
            acceptedPayloads.append(payloads[k])
            if clock.isFuture(now: now) { latestFuture = max(latestFuture ?? clock, clock) } else { latestSane = max(latestSane ?? clock, clock) }
        }
        if !acceptedPayloads.isEmpty {
            let file = try replicaFile(for: device)
            try file.append(acceptedPayloads)
            held[device] = top
            // Only once they are on disk: a clock from the future is kept and shown, never adopted.
            if let latestSane { saneLatestClock = max(saneLatestClock, latestSane) }
            if let latestFuture { futureClocks[device] = max(futureClocks[device] ?? latestFuture, latestFuture) }
        }
        return StoredRecords(count: Int(top - before), refusal: refusal)
    }

    /// Folds what `receive(…, deferFold: true)` stored.
    public func foldReceived() throws {
        let events = unfolded
        unfolded = []
        try fold(newEvents: events)
    }

    /// The replica journal for `device`, opened (and locked) once per store; a torn tail left
    /// by an interrupted earlier receive is set aside as for our own journal.
    private func replicaFile(for device: UUID) throws -> JournalFile {
        if let open = replicaFiles[device] { return open }
        let path = DataDirectory.journalPath(dataDirectory, device: device)
        // What the last load read of this file needs no second check, as for our own journal.
        let file = try JournalFile(path: path, device: device, trusted: coverage[(path as NSString).lastPathComponent])
        file.marksBatches = true
        if let r = file.recovery { warnings.append(r.message) }
        replicaFiles[device] = file
        return file
    }
}
