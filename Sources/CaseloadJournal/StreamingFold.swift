import Foundation
import CaseloadCore
import CaseloadCrypto

/// Folds journal files straight from disk, record by record, merging the files in fold order
/// (clock, device, seq) without holding all events in memory. Each device's file is already
/// in its own clock order, so a k-way merge of the files is the full fold order.
///
/// It handles only the regular case and says so when it meets anything else; the store then
/// takes the careful whole-file path. Irregular: damage or an unreadable record (the careful
/// path reports them), a file out of order, events older than the snapshot it starts from
/// (a device that synced late: its events belong before ones already folded), and an undo of
/// an event already folded (`needsUndoneFirst`: fold again knowing the undone ids up front).
enum StreamingFold {
    struct File {
        var name: String
        var path: String
        var isOwn: Bool
        /// How its records are read: plain, or sealed (encryption on).
        var codec: EventCodec = .plain
    }

    struct Result {
        var state: CaseloadState
        var coverage: [String: FileCoverage]
        var lastSeq: UInt64
        /// Events folded from the journals (not from the snapshot).
        var newEvents: Int
    }

    enum Outcome {
        case folded(Result)
        case needsUndoneFirst
        case irregular
    }

    /// One file being read: its cursor and its next event.
    private final class Source {
        let file: File
        let cursor: JournalCursor
        var coverage: FileCoverage
        var head: Event?
        init(file: File, cursor: JournalCursor, coverage: FileCoverage) {
            self.file = file; self.cursor = cursor; self.coverage = coverage
        }

        /// Reads the next event; false when the file ends, throws `Irregular` on damage.
        func advance() throws {
            head = nil
            guard try cursor.next() else {
                // Ending on a record marked "more follows": a write of many records cut short.
                if cursor.stoppedAtDamage || cursor.recordContinues { throw Irregular() }
                return
            }
            guard let e = try? cursor.withPayload({ try file.codec.event(from: $0) }) else { throw Irregular() }
            head = e
        }
    }

    private struct Irregular: Error {}

    /// Folds `files`, from `start` (a snapshot and what it covers) when given, else from nothing.
    /// `undone` are ids that undo events name, known up front so the events they cancel are
    /// never folded. From a snapshot, each must be an event after it (undoing the change just
    /// made, the usual case); one the snapshot already folded means folding everything again.
    static func run(_ files: [File], start: SnapshotFile?, undone: Set<UUID> = []) -> Outcome {
        var state = start?.state ?? CaseloadState()
        var unseenUndone = undone.subtracting(state.undone)
        state.undone.formUnion(undone)
        var lastSeq = start?.lastSeq ?? 0
        // Events from the journals must all come after everything the snapshot folded.
        let floor = start.map { $0.state.eventCount > 0 ? $0.state.latestClock : nil } ?? nil
        var sources: [Source] = []
        do {
            for file in files {
                let covered = start?.coverage.first { $0.name == file.name }
                let cursor = try JournalCursor(path: file.path, from: covered?.end ?? JournalFormat.headerSize)
                guard let (header, crc) = try? cursor.header(), header.flags.isEmpty,
                      covered == nil || covered?.headerCRC == crc else { return .irregular }
                let source = Source(file: file, cursor: cursor, coverage: covered
                    ?? FileCoverage(name: file.name, headerCRC: crc, end: JournalFormat.headerSize, lastRecordOffset: -1, lastRecordCRC: 0))
                try source.advance()
                sources.append(source)
            }
            var previous: Event?
            var newEvents = 0
            while true {
                // The smallest head in fold order; there are only a handful of files.
                var next: Source?
                for s in sources where s.head != nil {
                    if next == nil || Event.foldOrder(s.head!, next!.head!) { next = s }
                }
                guard let source = next, let e = source.head else { break }
                unseenUndone.remove(e.id)
                if let p = previous, p.id == e.id {
                    // The same event in two files (a replica of a replica): fold it once.
                } else {
                    if let p = previous, !Event.foldOrder(p, e) { return .irregular }
                    if let floor, !(floor < e.clock) { return .irregular }
                    if case .changeUndone(let u) = e.body, !state.undone.contains(u.eventId) { return .needsUndoneFirst }
                    state.apply(e)
                    newEvents += 1
                }
                if source.file.isOwn { lastSeq = max(lastSeq, e.seq) }
                source.coverage.end = source.cursor.offset
                source.coverage.lastRecordOffset = source.cursor.recordOffset
                source.coverage.lastRecordCRC = source.cursor.recordCRC
                previous = e
                try source.advance()
            }
            if start != nil, !unseenUndone.isEmpty { return .irregular }
            var coverage: [String: FileCoverage] = [:]
            for s in sources { coverage[s.file.name] = s.coverage }
            return .folded(Result(state: state, coverage: coverage, lastSeq: lastSeq, newEvents: newEvents))
        } catch {
            return .irregular
        }
    }

    /// The ids every `change.undone` names: a quick look, without checksums, so it costs
    /// little more than reading the bytes. Journal payloads are compact JSON with sorted keys,
    /// so an undo record ends with its type: only those are decoded. An undo this misses is
    /// still caught by `run`, which then asks for a second look or gives up on streaming.
    static func undoTargets(_ files: [File], after start: SnapshotFile? = nil) -> Set<UUID> {
        let suffix = Array(#""type":"change.undone"}"#.utf8)
        var targets = Set<UUID>()
        for file in files {
            let from = start?.coverage.first { $0.name == file.name }?.end ?? JournalFormat.headerSize
            guard let cursor = try? JournalCursor(path: file.path, from: from, checksums: false) else { continue }
            while (try? cursor.next()) == true {
                cursor.withPayload { p in
                    guard p.count >= suffix.count, p.suffix(suffix.count).elementsEqual(suffix),
                          let e = try? file.codec.event(from: p), case .changeUndone(let u) = e.body else { return }
                    targets.insert(u.eventId)
                }
            }
        }
        return targets
    }
}
