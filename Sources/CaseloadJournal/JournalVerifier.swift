import Foundation
import CaseloadCore
import CaseloadCrypto

/// What `caseload verify` finds in one journal file, without changing anything: damage, records
/// whose checksum holds but which are not readable events (or fail their seal), records naming
/// another device or out of sequence, and clocks ahead of `now`. Problems never quote a record's
/// text: they name byte offsets, fields and devices.
public struct JournalReport: Encodable, Sendable, Equatable {
    public var path: String
    public var records: Int
    public var problems: [String]
}

public enum JournalVerifier {
    /// Reads the journal a record at a time (`JournalFile.visit`) and checks it a batch of
    /// records at a time: a batch's events are decoded on every core, then checked in order.
    /// Memory stays bounded however large the journal is (the batch's bytes, never its events).
    /// `now` (milliseconds since 1970) is the clock that records are checked against for dates
    /// in the future.
    public static func check(_ path: String, codec: EventCodec = .plain, nowMillis now: Int64,
                             batchBytes: Int = 4 << 20) throws -> JournalReport {
        // The header alone first, so each record's device can be checked as it goes by.
        let headerBytes = FileHandle(forReadingAtPath: path).map { h in defer { try? h.close() }; return h.readData(ofLength: JournalFormat.headerSize) } ?? Data()
        let device = JournalScanner.scan(headerBytes).header?.device
        var checks = RecordChecks(device: device, now: now)
        var batch = RecordBatch()
        let scan = try JournalFile.visit(path: path) { offset, payload in
            batch.add(offset, payload)
            if batch.bytes.count >= batchBytes { checks.take(batch.decode(codec)) }
        }
        checks.take(batch.decode(codec))
        if let h = scan.headerProblem {
            return JournalReport(path: path, records: 0, problems: [JournalError.header(path: path, h).description])
        }
        var problems = checks.problems
        if let future = checks.future, let device {
            problems.append("\(future.count) record(s) dated up to \(Day(ordinal: Int(future.latest.wallMillis / 86_400_000))), ahead of this computer's clock: device \(device.lowercasedString) has a wrong or forged clock (its events are kept but suspect)")
        }
        return JournalReport(path: path, records: checks.count, problems: scan.damage.map(\.description) + problems)
    }

    /// What verify needs of one record once decoded.
    enum Decoded: Sendable {
        case event(offset: Int, device: UUID, seq: UInt64, clock: HLC)
        /// The decoder's reason names a field and what is wrong with it, never its text.
        case unreadable(offset: Int, reason: String)
    }

    /// The checks that follow the records in order: device, sequence, clocks ahead of now.
    struct RecordChecks {
        let device: UUID?
        let now: Int64
        var problems: [String] = []
        var expected: UInt64 = 1
        var future: (count: Int, latest: HLC)?
        var count = 0

        init(device: UUID?, now: Int64) { self.device = device; self.now = now }

        mutating func take(_ records: [Decoded]) {
            for r in records {
                count += 1
                switch r {
                case let .unreadable(offset, reason):
                    problems.append("record at byte \(offset) has a valid checksum but is not a readable event (\(reason))")
                case let .event(offset, device, seq, clock):
                    if clock.isFuture(now: now) { future = (future.map { $0.count + 1 } ?? 1, max(future?.latest ?? clock, clock)) }
                    if device != self.device { problems.append("record at byte \(offset) names another device") }
                    if seq != expected { problems.append("record at byte \(offset) has seq \(seq), expected \(expected)") }
                    expected = seq + 1
                }
            }
        }
    }

    /// Records' payloads copied out of the file's window until there are enough to share out.
    struct RecordBatch {
        var bytes: [UInt8] = []
        var records: [(offset: Int, range: Range<Int>)] = []

        mutating func add(_ offset: Int, _ payload: UnsafeRawBufferPointer) {
            let start = bytes.count
            bytes.append(contentsOf: payload)
            records.append((offset, start..<bytes.count))
        }

        /// Decodes every record of the batch, in contiguous shares spread over the cores, and
        /// empties it. Several shares a core, so a core that another program keeps busy takes
        /// fewer of them instead of holding the batch up.
        mutating func decode(_ codec: EventCodec) -> [Decoded] {
            let records = self.records
            let n = records.count
            guard n > 0 else { return [] }
            let shares = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 8, n / 64))
            var out = [Decoded](repeating: .unreadable(offset: 0, reason: ""), count: n)
            out.withUnsafeMutableBufferPointer { out in
                bytes.withUnsafeBytes { raw in
                    // Each share writes only its own slots of `out`.
                    nonisolated(unsafe) let out = out, raw = raw
                    DispatchQueue.concurrentPerform(iterations: shares) { share in
                        for i in (n * share / shares)..<(n * (share + 1) / shares) {
                            let r = records[i]
                            do {
                                let e = try codec.event(from: UnsafeRawBufferPointer(rebasing: raw[r.range]))
                                out[i] = .event(offset: r.offset, device: e.device, seq: e.seq, clock: e.clock)
                            } catch {
                                out[i] = .unreadable(offset: r.offset, reason: "\(error)")
                            }
                        }
                    }
                }
            }
            bytes.removeAll(keepingCapacity: true)
            self.records.removeAll(keepingCapacity: true)
            return out
        }
    }
}
