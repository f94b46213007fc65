import Foundation
import CaseloadCore
import CaseloadCrypto
import CaseloadJournal

/// One record a transport read from the other side, not yet trusted in any way.
struct IncomingRecord {
    var payload: Data
    /// The author the other side recorded apart from the bytes (the server's column), if any.
    var recordedAuthor: Data?
}

/// Another device's events on the other side, read a page at a time in seq order.
protocol SyncFeed: AnyObject {
    var device: UUID { get }
    /// How a problem with it starts: the file's name, or "events of device … on the server".
    var label: String { get }
    /// How many events it holds that we do not, when known before reading (for progress).
    var expected: Int? { get }
    /// Up to `limit` records after seq `held` (ones at or below it may come too: they are
    /// passed over); empty at the end.
    func nextPage(after held: UInt64, limit: Int) throws -> [IncomingRecord]
    /// Called once its records are taken in: `complete` when none was refused or left unstored.
    func finish(complete: Bool, report: inout SyncReport) throws
}

/// The other side of a sync as the engine sees it: a folder of device files or a team server.
protocol SyncTransport: AnyObject {
    /// One feed per other device with events we may not hold yet; problems with what is
    /// there (a file skipped, say) go in `report`.
    func feeds(held: [UUID: UInt64], report: inout SyncReport) throws -> [SyncFeed]
}

/// The steps of a sync that do not depend on where the other side is. Taking in:
/// what we hold of each device, reading pages of its records, checking every record as
/// hostile input, storing pages in the local replicas, folding them as they come (see
/// `ReceivedFold`), progress and cancelling. Sending: our events after what the other side
/// holds, read and written a page at a time. Memory stays at a page per device, whatever the
/// history's length. Transports only list devices and read and write pages; what the other
/// side holds of ours, and a fork, each transport finds out its own way.
final class SyncEngine {
    let store: CaseloadStore
    /// Records per page read, per write + fsync, and per progress report.
    var pageSize: Int
    var progress: ((SyncProgress) -> Void)?
    /// Asked after each page: true stops the pull there (`SyncError.cancelled`), folding and
    /// keeping what was stored.
    var shouldCancel: (() -> Bool)?

    init(store: CaseloadStore, pageSize: Int, progress: ((SyncProgress) -> Void)?, shouldCancel: (() -> Bool)?) {
        self.store = store
        self.pageSize = max(1, pageSize)
        self.progress = progress
        self.shouldCancel = shouldCancel
    }

    /// Takes in everything `transport` holds that we do not, and folds it.
    func pull(_ transport: SyncTransport, _ report: inout SyncReport) throws {
        let held = try store.heldSeqs()
        let cursors = try transport.feeds(held: held, report: &report).map { FeedCursor($0, held: held[$0.device, default: 0]) }
        let fold = ReceivedFold(store: store)
        var folded = false
        // Whatever was stored is folded even when the other side drops part way.
        defer { if !folded { try? fold.finish() } }
        let total = cursors.reduce(0) { $0 + ($1.feed.expected ?? 0) }
        var done = 0
        for cursor in cursors { try cursor.fill(self, &report) }
        while true {
            // The next page in fold order across devices, so it can be folded as it comes. It
            // ends where a feed's page does, so what is taken of each is one slice of it.
            var page: [Event] = []
            while page.count < pageSize, let cursor = Self.first(cursors) {
                page.append(cursor.take())
                if cursor.headKey == nil { break }
            }
            if page.isEmpty { break }
            fold.willStore()
            var short = false
            for cursor in cursors where cursor.hasTaken { short = !store(cursor, &report) || short }
            if short {
                // Not all of it was stored (a device's replica refused or failed): fold what was.
                let nowHeld = try store.heldSeqs()
                page.removeAll { $0.seq > nowHeld[$0.device, default: 0] }
            }
            fold.add(page)
            done += page.count
            progress?(SyncProgress(phase: .receiving, done: done, total: max(total, done)))
            if shouldCancel?() == true {
                folded = true
                try fold.finish()
                throw SyncError.cancelled
            }
            for cursor in cursors where cursor.headKey == nil { try cursor.fill(self, &report) }
        }
        let nowHeld = try store.heldSeqs()
        for cursor in cursors {
            let stored = Int(nowHeld[cursor.feed.device, default: 0] - cursor.heldBefore)
            if stored > 0 { report.received += stored; report.devices += 1 }
            try cursor.feed.finish(complete: !cursor.stopped, report: &report)
        }
        folded = true
        try fold.finish()
        report.problems += store.takeFutureClockProblems()
    }

    /// Sends this device's events after seq `after` a page at a time through `write`, up to
    /// the first that `sendable` refuses (the server takes only our own worker's events), with
    /// progress and cancelling as for a pull. Returns how many went, and the refused event.
    func push(after: UInt64, write: ([Data]) throws -> Void,
              sendable: (Data) -> Bool = { _ in true }) throws -> (sent: Int, refused: (seq: UInt64, payload: Data)?) {
        let total = Int(store.lastSeq > after ? store.lastSeq - after : 0)
        var sent = 0
        var refused: (seq: UInt64, payload: Data)?
        try store.forEachOwnPage(after: after, limit: pageSize) { page in
            let cut = page.firstIndex { !sendable($0.payload) }
            let out = page[..<(cut ?? page.count)]
            if !out.isEmpty {
                try write(out.map(\.payload))
                sent += out.count
                progress?(SyncProgress(phase: .sending, done: sent, total: total))
                if shouldCancel?() == true { throw SyncError.cancelled }
            }
            if let cut { refused = page[cut] }
            return cut == nil
        }
        return (sent, refused)
    }

    /// The feed whose next event comes first in fold order.
    private static func first(_ cursors: [FeedCursor]) -> FeedCursor? {
        var best: FeedCursor?
        var bestKey: FoldKey?
        for c in cursors {
            guard let key = c.headKey else { continue }
            if bestKey == nil || key < bestKey! { best = c; bestKey = key }
        }
        return best
    }

    /// Writes what was taken from `cursor` to its device's replica; a failure stops that
    /// device. False when not all of it was stored.
    private func store(_ cursor: FeedCursor, _ report: inout SyncReport) -> Bool {
        let (events, payloads) = cursor.takeOut()
        do {
            let stored = try store.storeReceived(device: cursor.feed.device, events: events, payloads: payloads)
            guard let refusal = stored.refusal else { return stored.count == events.count }
            cursor.stop("\(cursor.feed.label): \(refusal)", dropRest: true, &report)
        } catch let error as ReplicaError {
            cursor.stop("\(cursor.feed.label): \(error)", dropRest: true, &report)
        } catch {
            // Our local copy of that device's journal cannot take more (damaged, say): the
            // other devices still sync.
            cursor.stop("\(cursor.feed.label): not stored: \(error)", dropRest: true, &report)
        }
        return false
    }

    /// Why a record from another device must not be taken in, checked before anything is
    /// stored and as it would be adopted: it must be no larger than a record can be, open and
    /// decode whole (checksums, seal, every field and clock within bounds), belong to the
    /// device, carry a clock counter we could continue from (a huge one would leave our own
    /// next events unsendable) and name the author the other side recorded, if it recorded one.
    func check(_ record: IncomingRecord, device: UUID, index: Int) -> Result<Event, CheckFailure> {
        if let problem = RecordLimits.problem(encodedSize: record.payload.count) {
            return .failure(.refused(seq: nil, why: problem.replacingOccurrences(of: "this change is too large to save", with: "is too large")))
        }
        let e: Event
        do { e = try store.codec.event(from: record.payload) } catch {
            // The envelope may still say why, more plainly than the decoder.
            let env = try? EventEnvelope.decode(record.payload)
            let reason = env.flatMap { $0.clock.counter > ClockBounds.maxAdoptedCounter ? Self.counterProblem($0.clock.counter) : nil }
            return .failure(.replica(.undecodable(index: index, reason: reason ?? "\(error)")))
        }
        guard e.device == device else { return .failure(.replica(.wrongDevice(index: index))) }
        if e.clock.counter > ClockBounds.maxAdoptedCounter { return .failure(.refused(seq: e.seq, why: Self.counterProblem(e.clock.counter))) }
        if let column = record.recordedAuthor, String(decoding: column, as: UTF8.self) != e.author {
            return .failure(.refused(seq: e.seq, why: "names another author in its contents than the server recorded (forged)"))
        }
        return .success(e)
    }

    static func counterProblem(_ counter: UInt32) -> String {
        "has clock counter \(counter), beyond the \(ClockBounds.maxAdoptedCounter) allowed (forged or broken)"
    }

    enum CheckFailure: Error {
        case replica(ReplicaError)
        case refused(seq: UInt64?, why: String)
    }
}

/// One feed being read: the checked records of its current page, and how far it got.
final class FeedCursor {
    let feed: SyncFeed
    /// What we held of the device before this pull.
    let heldBefore: UInt64
    /// The seq the next record must have.
    private var next: UInt64
    /// The current page, checked: `events[i]` is the decoded `payloads[i]`.
    private var events: [Event] = []
    private var payloads: [Data] = []
    private var index = 0
    /// Where what was taken for the engine's page in hand starts (it ends at `index`).
    private var takenFrom = 0
    /// The feed has nothing more.
    private var ended = false
    /// A record was refused or could not be stored: nothing more is taken from it.
    private(set) var stopped = false

    init(_ feed: SyncFeed, held: UInt64) {
        self.feed = feed
        heldBefore = held
        next = held + 1
    }

    var head: Event? { index < events.count ? events[index] : nil }
    /// Where the next event goes in fold order (compared without copying events around).
    var headKey: FoldKey? { index < events.count ? FoldKey(events[index]) : nil }

    func take() -> Event {
        index += 1
        return events[index - 1]
    }

    var hasTaken: Bool { takenFrom < index }

    /// What was taken since the last call, to be stored.
    func takeOut() -> (ArraySlice<Event>, ArraySlice<Data>) {
        defer { takenFrom = index }
        return (events[takenFrom..<index], payloads[takenFrom..<index])
    }

    /// Reports `problem` and reads no more; `dropRest` also leaves the page's other records.
    func stop(_ problem: String, dropRest: Bool = false, _ report: inout SyncReport) {
        report.problems.append(problem)
        stopped = true
        if dropRest {
            events = []
            payloads = []
            index = 0
            takenFrom = 0
        }
    }

    /// Reads and checks the feed's next page; records already held are passed over.
    func fill(_ engine: SyncEngine, _ report: inout SyncReport) throws {
        events = []
        payloads = []
        index = 0
        takenFrom = 0
        while !stopped, events.isEmpty, !ended {
            let records = try feed.nextPage(after: next - 1, limit: engine.pageSize)
            if records.isEmpty { ended = true }
            for (i, record) in records.enumerated() {
                switch engine.check(record, device: feed.device, index: i) {
                case .success(let e):
                    if e.seq < next { continue }
                    guard e.seq == next else {
                        stop("\(feed.label): \(ReplicaError.gap(device: feed.device, expected: next, found: e.seq))", &report)
                        return
                    }
                    events.append(e)
                    payloads.append(record.payload)
                    next += 1
                case .failure(.replica(let error)):
                    stop("\(feed.label): \(error)", &report)
                    return
                case .failure(.refused(let seq, let why)):
                    stop("\(feed.label): \(seq.map { "seq \($0)" } ?? "an event") \(why); it and the device's later events were not taken in", &report)
                    return
                }
            }
        }
    }
}
