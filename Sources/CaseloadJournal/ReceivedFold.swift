import Foundation
import CaseloadCore
import CaseloadCrypto
#if canImport(Glibc)
import Glibc
#endif

/// Folds what a sync brings in a page at a time, so a long pull never holds all its events.
/// Pages must come in fold order across devices (the sync engine merges its feeds), each one
/// stored before it is given here.
///
/// While every event comes after everything folded, it is applied in place. At the first that
/// does not (a device that wrote anything before its first sync: its own registration is newer
/// than a colleague's history), a fresh fold starts that merges the journals as they stood
/// before that page with everything from that page on, and takes the store's state at the end:
/// still one decode of each event. An undo coming in, or anything irregular on disk, leaves it
/// to the store's full reload once everything is stored.
public final class ReceivedFold {
    private let store: CaseloadStore
    private enum Mode {
        case inPlace
        case merging(BackgroundMerge)
        case reloadAtEnd
    }
    private var mode = Mode.inPlace
    /// Where each journal ended before the page in hand was stored (what a merge may read).
    private var ends: [String: Int] = [:]

    public init(store: CaseloadStore) {
        self.store = store
    }

    /// Call before storing a page: the journals' ends now are where a merge stops reading.
    public func willStore() {
        guard case .inPlace = mode else { return }
        ends = [:]
        for file in store.journalFiles() { ends[file.path] = Self.size(file.path) }
    }

    /// Folds `events`, just stored, in fold order.
    public func add(_ events: [Event]) {
        switch mode {
        case .reloadAtEnd:
            return
        case .merging(let merge):
            merge.take(events)
        case .inPlace:
            if Self.follows(events, store.state) {
                store.applyInPlace(events)
                return
            }
            // From this page on, a fresh fold merged with the journals as they were before it.
            guard store.canWriteCaches, let merge = LocalMerge(files: store.journalFiles(), ends: ends) else {
                mode = .reloadAtEnd
                return
            }
            let background = BackgroundMerge(merge)
            background.take(events)
            mode = .merging(background)
        }
    }

    /// Whether `events` can be applied to `state` in place: each after the one before, and
    /// no undo (which may name an event already folded).
    static func follows(_ events: [Event], _ state: CaseloadState) -> Bool {
        var latest = state.eventCount == 0 ? nil : state.latestClock
        for e in events {
            if case .changeUndone = e.body { return false }
            if let l = latest, !(l < e.clock) { return false }
            latest = e.clock
        }
        return true
    }

    /// Ends the fold: what was merged becomes the store's state (or everything is read again).
    public func finish() throws {
        defer { mode = .inPlace }
        switch mode {
        case .inPlace:
            break
        case .merging(let merge):
            if let state = merge.finish() { store.adoptFold(state) } else { try store.reloadAfterReceiving() }
        case .reloadAtEnd:
            try store.reloadAfterReceiving()
        }
        // An erasure that came in: the person's key destroyed here too (`PersonKeyFile.swift`).
        try store.destroyKeysOfErasedPeople()
    }

    static func size(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }
}

/// A `LocalMerge` on its own thread, folding a page while the next is read and stored: the
/// fold is about half of a long pull's work, and it touches nothing of the store's (its own
/// state, the journals only up to where they ended). At most two pages wait for it.
final class BackgroundMerge: @unchecked Sendable {
    /// Used only on `queue`.
    private let merge: LocalMerge
    private var gaveUp = false
    private let queue = DispatchQueue(label: "caseload.received-fold")
    private let waiting = DispatchSemaphore(value: 2)

    init(_ merge: LocalMerge) { self.merge = merge }

    func take(_ events: [Event]) {
        waiting.wait()
        queue.async {
            if !self.gaveUp, !self.merge.take(events) { self.gaveUp = true }
            self.waiting.signal()
        }
    }

    /// Waits for the pages given so far; nil when the merge gave up.
    func finish() -> CaseloadState? {
        queue.sync { gaveUp ? nil : merge.finish() }
    }
}

/// A fresh fold of the journals up to fixed ends, merged in fold order with events given
/// in fold order. Knows every undo on disk up front, as the store's own streaming fold does;
/// an undo given, an event out of order or damage makes it give up (nil / false).
final class LocalMerge {
    private final class Source {
        let cursor: JournalCursor
        let end: Int
        let codec: EventCodec
        var head: Event?
        init(cursor: JournalCursor, end: Int, codec: EventCodec) { self.cursor = cursor; self.end = end; self.codec = codec }

        func advance() throws {
            head = nil
            guard cursor.offset < end else { return }
            guard try cursor.next(), cursor.offset <= end,
                  let e = try? cursor.withPayload({ try codec.event(from: $0) }) else { throw Irregular() }
            head = e
        }
    }
    private struct Irregular: Error {}

    private var state = CaseloadState()
    private var sources: [Source] = []
    private var previous: FoldKey?
    private var previousId: UUID?
    private var failed = false

    init?(files: [StreamingFold.File], ends: [String: Int]) {
        state.undone = StreamingFold.undoTargets(files)
        do {
            for file in files {
                let end = ends[file.path] ?? 0
                guard end > JournalFormat.headerSize else { continue }
                let cursor = try JournalCursor(path: file.path, from: JournalFormat.headerSize)
                guard let (header, _) = try? cursor.header(), header.flags.isEmpty else { return nil }
                let source = Source(cursor: cursor, end: end, codec: file.codec)
                try source.advance()
                sources.append(source)
            }
        } catch {
            return nil
        }
    }

    /// Folds what the journals hold before each event, then the event. False: gave up.
    func take(_ events: [Event]) -> Bool {
        guard !failed else { return false }
        for i in events.indices {
            if case .changeUndone = events[i].body { failed = true; return false }
            guard drain(before: events[i]) else { return false }
            apply(events[i])
            if failed { return false }
        }
        return true
    }

    /// The state with the rest of the journals folded in, or nil when it gave up.
    func finish() -> CaseloadState? {
        guard !failed, drain(before: nil) else { return nil }
        return state
    }

    private func drain(before limit: Event?) -> Bool {
        do {
            while true {
                var next: Source?
                for s in sources where s.head != nil {
                    if next == nil || Event.foldOrder(s.head!, next!.head!) { next = s }
                }
                guard let source = next, let e = source.head else { return true }
                if let limit, !Event.foldOrder(e, limit) { return true }
                apply(e)
                if failed { return false }
                try source.advance()
            }
        } catch {
            failed = true
            return false
        }
    }

    private func apply(_ e: Event) {
        // The same event in two files (a replica of a replica): folded once.
        if previousId == e.id { return }
        let key = FoldKey(e)
        if let p = previous, !(p < key) { failed = true; return }
        state.apply(e)
        previous = key
        previousId = e.id
    }
}

/// An event's place in fold order, as `Event.foldOrder` sorts (clock, then device, then seq),
/// kept apart from the event so comparing places copies no event.
public struct FoldKey: Comparable, Sendable {
    public var clock: HLC
    public var device: UUID
    public var seq: UInt64

    public init(_ e: Event) {
        clock = e.clock
        device = e.device
        seq = e.seq
    }

    public static func < (a: FoldKey, b: FoldKey) -> Bool {
        if a.clock != b.clock { return a.clock < b.clock }
        if a.device != b.device { return a.device.sortsBefore(b.device) }
        return a.seq < b.seq
    }
}
