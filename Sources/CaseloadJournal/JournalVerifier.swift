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
    /// Reads the journal a record at a time (`JournalFile.visit`): memory stays bounded however
    /// large the journal is. `now` (milliseconds since 1970) is the clock that records are
    /// checked against for dates in the future.
    public static func check(_ path: String, codec: EventCodec = .plain, nowMillis now: Int64) throws -> JournalReport {
        // The header alone first, so each record's device can be checked as it goes by.
        let headerBytes = FileHandle(forReadingAtPath: path).map { h in defer { try? h.close() }; return h.readData(ofLength: JournalFormat.headerSize) } ?? Data()
        let device = JournalScanner.scan(headerBytes).header?.device
        var problems: [String] = []
        var expected: UInt64 = 1
        var future: (count: Int, latest: HLC)?
        var count = 0
        let scan = try JournalFile.visit(path: path) { offset, payload in
            count += 1
            let e: Event
            do { e = try codec.event(from: payload) } catch {
                // The decoder's reason names a field and what is wrong with it, never its text.
                problems.append("record at byte \(offset) has a valid checksum but is not a readable event (\(error))")
                return
            }
            if e.clock.isFuture(now: now) { future = (future.map { $0.count + 1 } ?? 1, max(future?.latest ?? e.clock, e.clock)) }
            if e.device != device { problems.append("record at byte \(offset) names another device") }
            if e.seq != expected { problems.append("record at byte \(offset) has seq \(e.seq), expected \(expected)") }
            expected = e.seq + 1
        }
        if let h = scan.headerProblem {
            return JournalReport(path: path, records: 0, problems: [JournalError.header(path: path, h).description])
        }
        if let future, let device {
            problems.append("\(future.count) record(s) dated up to \(Day(ordinal: Int(future.latest.wallMillis / 86_400_000))), ahead of this computer's clock: device \(device.lowercasedString) has a wrong or forged clock (its events are kept but suspect)")
        }
        return JournalReport(path: path, records: count, problems: scan.damage.map(\.description) + problems)
    }
}
