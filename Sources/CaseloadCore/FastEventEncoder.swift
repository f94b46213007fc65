import Foundation

/// Encodes one journal event to JSON bytes without Codable: the durable append's CPU on top of
/// its write+fsync was mostly JSONEncoder's generic machinery.
///
/// Writes exactly the bytes `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes
/// for `Event.encode(to:)`, and tests hold it to that: payload bytes are stored, synced and
/// compared, and `StreamingFold.undoTargets` relies on sorted keys putting `"type"` last. So
/// keys are written in byte order at every level, nil optionals are left out, UUIDs are upper
/// case, and strings escape only `"`, `\` and control characters (`\n` style where JSON has
/// one, else `\u00xx` in lower-case hex), leaving `/` and non-ASCII text as they are.
public enum FastEventEncoder {
    public static func encode(_ e: Event) -> Data {
        var w = JSONBytesWriter()
        w.beginObject()
        w.field("author", e.author)
        w.key("body"); encodeBody(e.body, &w)
        w.key("clock"); w.clock(e.clock)
        w.field("device", e.device)
        w.field("id", e.id)
        w.key("seq"); w.integer(e.seq)
        w.field("type", e.body.type)
        w.endObject()
        return Data(w.bytes)
    }

    static func encodeBody(_ body: EventBody, _ w: inout JSONBytesWriter) {
        w.beginObject()
        switch body {
        case .workerRegistered(let b):
            w.field("name", b.name)
            w.field("role", b.role)
            w.field("team", b.team)
            w.field("workerId", b.workerId)
        case .patientReferred(let b):
            w.field("address", b.address)
            w.field("dateOfBirth", b.dateOfBirth)
            w.field("gpPractice", b.gpPractice)
            w.field("name", b.name)
            w.field("nhsNumber", b.nhsNumber?.digits)
            w.field("patientId", b.patientId)
            w.field("phone", b.phone)
            w.field("preferredName", b.preferredName)
            w.key("referral"); referral(b.referral, &w)
            w.field("worker", b.worker)
        case .patientUpdated(let b):
            w.field("address", b.address)
            w.field("dateOfBirth", b.dateOfBirth)
            w.field("gpPractice", b.gpPractice)
            w.field("name", b.name)
            w.field("nhsNumber", b.nhsNumber?.digits)
            w.field("patientId", b.patientId)
            w.field("phone", b.phone)
            w.field("preferredName", b.preferredName)
            w.field("worker", b.worker)
        case .patientStatusChanged(let b):
            w.field("date", b.date)
            w.field("patientId", b.patientId)
            w.field("reason", b.reason)
            w.field("status", b.status.rawValue)
        case .consentRecorded(let b):
            w.field("date", b.date)
            w.field("given", b.given)
            w.field("kind", b.kind.rawValue)
            w.field("patientId", b.patientId)
        case .sessionRecorded(let b):
            w.field("date", b.date)
            w.field("draftId", b.draftId)
            w.field("importedAuthor", b.importedAuthor)
            w.field("kind", b.kind.rawValue)
            w.field("minutes", b.minutes)
            w.field("note", b.note)
            w.field("outcome", b.outcome?.rawValue)
            w.field("patientId", b.patientId)
            w.field("sessionId", b.sessionId)
        case .sessionAmended(let b):
            w.field("basedOn", b.basedOn)
            w.field("draftId", b.draftId)
            w.field("note", b.note)
            w.field("sessionId", b.sessionId)
        case .draftSaved(let b):
            w.field("date", b.date)
            w.field("draftId", b.draftId)
            w.field("kind", b.kind.rawValue)
            w.field("minutes", b.minutes)
            w.field("outcome", b.outcome?.rawValue)
            w.field("patientId", b.patientId)
            w.field("sessionId", b.sessionId)
            w.field("text", b.text)
        case .draftDiscarded(let b):
            w.field("draftId", b.draftId)
        case .goalSet(let b):
            w.field("date", b.date)
            w.field("goalId", b.goalId)
            w.field("patientId", b.patientId)
            w.field("progress", b.progress)
            w.field("text", b.text)
        case .goalProgressed(let b):
            w.field("date", b.date)
            w.field("goalId", b.goalId)
            w.field("score", b.score)
        case .goalStatusChanged(let b):
            w.field("date", b.date)
            w.field("goalId", b.goalId)
            w.field("status", b.status.rawValue)
        case .measureRecorded(let b):
            w.key("answers"); w.integers(b.answers)
            w.field("date", b.date)
            w.field("instrument", b.instrument.rawValue)
            w.field("measureId", b.measureId)
            w.field("patientId", b.patientId)
        case .serviceAdded(let b), .serviceUpdated(let b):
            w.field("accessibility", b.accessibility)
            w.field("address", b.address)
            w.field("ageRange", b.ageRange)
            w.field("areas", b.areas)
            w.field("category", b.category)
            w.field("contact", b.contact)
            w.field("cost", b.cost)
            w.field("description", b.description)
            w.field("eligibility", b.eligibility)
            w.field("externalId", b.externalId)
            w.field("languages", b.languages)
            w.field("lastModified", b.lastModified)
            w.field("name", b.name)
            w.field("organisation", b.organisation)
            w.field("postcodes", b.postcodes)
            w.field("serviceId", b.serviceId)
            w.field("source", b.source)
            w.field("times", b.times)
        case .serviceDelisted(let b):
            w.field("date", b.date)
            w.field("reason", b.reason)
            w.field("serviceId", b.serviceId)
        case .connectionMade(let b):
            w.field("accompanied", b.accompanied)
            w.field("connectionId", b.connectionId)
            w.field("date", b.date)
            w.field("patientId", b.patientId)
            w.field("route", b.route?.rawValue)
            w.field("serviceId", b.serviceId)
            w.field("stage", b.stage.rawValue)
        case .connectionStageChanged(let b):
            w.field("connectionId", b.connectionId)
            w.field("date", b.date)
            w.field("reason", b.reason)
            w.field("stage", b.stage.rawValue)
        case .followupScheduled(let b):
            w.field("due", b.due)
            w.field("followupId", b.followupId)
            w.field("patientId", b.patientId)
            w.field("reason", b.reason)
            w.field("worker", b.worker)
        case .followupRescheduled(let b):
            w.field("date", b.date)
            w.field("due", b.due)
            w.field("followupId", b.followupId)
            w.field("reason", b.reason)
            w.field("resolvesConflict", b.resolvesConflict)
        case .followupCompleted(let b):
            w.field("date", b.date)
            w.field("followupId", b.followupId)
            w.field("reschedulesSeen", b.reschedulesSeen)
        case .followupCancelled(let b):
            w.field("date", b.date)
            w.field("followupId", b.followupId)
            w.field("reason", b.reason)
            w.field("reschedulesSeen", b.reschedulesSeen)
        case .changeUndone(let b):
            w.field("eventId", b.eventId)
        case .deviceSynced(let b):
            w.field("target", b.target)
        case .riskRecorded(let b):
            w.field("date", b.date)
            w.field("kind", b.kind.rawValue)
            w.field("note", b.note)
            w.field("patientId", b.patientId)
            w.field("raisedWith", b.raisedWith)
            w.field("riskId", b.riskId)
        case .riskResolved(let b):
            w.field("date", b.date)
            w.field("reason", b.reason)
            w.field("riskId", b.riskId)
        case .noKnownRisks(let b):
            w.field("date", b.date)
            w.field("patientId", b.patientId)
        case .duplicateResolved(let b):
            w.field("date", b.date)
            w.field("merged", b.merged)
            w.field("otherId", b.otherId)
            w.field("patientId", b.patientId)
        case .patientViewed(let b):
            w.field("date", b.date)
            w.field("how", b.how)
            w.field("patientId", b.patientId)
        case .patientRestricted(let b):
            w.field("date", b.date)
            w.field("patientId", b.patientId)
            w.field("reason", b.reason)
        case .patientUnrestricted(let b):
            w.field("date", b.date)
            w.field("patientId", b.patientId)
        case .unknown:
            break
        }
        w.endObject()
    }

    static func referral(_ r: Referral, _ w: inout JSONBytesWriter) {
        w.beginObject()
        w.field("date", r.date)
        w.key("reasons")
        w.beginArray()
        for reason in r.reasons { w.element(); w.string(reason.rawValue) }
        w.endArray()
        w.field("referrer", r.referrer)
        w.field("source", r.source.rawValue)
        w.field("text", r.text)
        w.endObject()
    }
}

/// Compact JSON into a byte array, one member or element at a time, in the order given.
struct JSONBytesWriter {
    var bytes: [UInt8] = []
    /// Whether the next member or element of the open object or array needs a comma first.
    private var needsComma = false

    init() { bytes.reserveCapacity(512) }

    mutating func beginObject() { bytes.append(UInt8(ascii: "{")); needsComma = false }
    mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    mutating func beginArray() { bytes.append(UInt8(ascii: "[")); needsComma = false }
    mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    mutating func element() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// Keys are plain ASCII names, never escaped.
    mutating func key(_ name: StaticString) {
        element()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name); string(value)
    }

    mutating func field(_ name: StaticString, _ value: UUID?) {
        guard let value else { return }
        key(name); uuid(value)
    }

    mutating func field(_ name: StaticString, _ value: Day?) {
        guard let value else { return }
        key(name); day(value)
    }

    mutating func field(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name); integer(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool?) {
        guard let value else { return }
        key(name)
        if value {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
        }
    }

    mutating func integers(_ values: [Int]) {
        beginArray()
        for v in values { element(); integer(v) }
        endArray()
    }

    mutating func integer<T: BinaryInteger>(_ value: T) {
        var v = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            } while v != 0
            bytes.append(contentsOf: d[(20 - count)...])
        }
    }

    /// "1732406400000.3", as `HLC.description`.
    mutating func clock(_ c: HLC) {
        bytes.append(UInt8(ascii: "\""))
        integer(c.wallMillis)
        bytes.append(UInt8(ascii: "."))
        integer(c.counter)
        bytes.append(UInt8(ascii: "\""))
    }

    /// YYYY-MM-DD, as `Day.description`.
    mutating func day(_ d: Day) {
        let c = d.components
        guard (0...9999).contains(c.year) else {
            // Outside four-digit years `description`'s `%04d` decides: not worth copying.
            string(d.description)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        fixedDigits(c.year, 4)
        bytes.append(UInt8(ascii: "-"))
        fixedDigits(c.month, 2)
        bytes.append(UInt8(ascii: "-"))
        fixedDigits(c.day, 2)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func fixedDigits(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(v / divisor))
            v %= divisor
            divisor /= 10
        }
    }

    /// Upper-case 8-4-4-4-12, as `uuidString`.
    mutating func uuid(_ u: UUID) {
        let hex: StaticString = "0123456789ABCDEF"
        bytes.append(UInt8(ascii: "\""))
        withUnsafeBytes(of: u.uuid) { raw in
            hex.withUTF8Buffer { h in
                for i in 0..<16 {
                    if i == 4 || i == 6 || i == 8 || i == 10 { bytes.append(UInt8(ascii: "-")) }
                    bytes.append(h[Int(raw[i] >> 4)])
                    bytes.append(h[Int(raw[i] & 0x0F)])
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = value
        s.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                runStart = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    hex.withUTF8Buffer { h in
                        bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), h[Int(b >> 4)], h[Int(b & 0x0F)]])
                    }
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
