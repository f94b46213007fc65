import Foundation

/// The clear part of a journal record: what sync, the server's row checks and the fold order
/// need, readable without the body. For a sealed record (encryption on) the body is one
/// member, `{"$sealed":"<key id>:<base64 box>"}`, and `sealed` holds that value.
public struct EventEnvelope: Sendable, Equatable {
    public var id: UUID
    public var device: UUID
    public var seq: UInt64
    public var clock: HLC
    public var author: String
    public var type: String
    /// The sealed body's value, or nil for a plain record.
    public var sealed: String?

    public init(id: UUID, device: UUID, seq: UInt64, clock: HLC, author: String, type: String, sealed: String? = nil) {
        self.id = id; self.device = device; self.seq = seq; self.clock = clock
        self.author = author; self.type = type; self.sealed = sealed
    }

    public init(_ e: Event) {
        self.init(id: e.id, device: e.device, seq: e.seq, clock: e.clock, author: e.author, type: e.body.type)
    }

    /// The record with an empty body: the bytes a sealed body is bound to (AEAD associated
    /// data), so no envelope field can be changed or swapped with another record's.
    public func clearBytes() -> Data {
        FastEventEncoder.encode(Event(id: id, device: device, seq: seq, clock: clock, author: author, body: .unknown(type: type)))
    }

    /// The bytes of a sealed record: the clear envelope in the same places as a plain
    /// record's (sorted keys), the body replaced by its sealed value.
    public func sealedRecord(_ value: String) -> Data {
        var w = JSONBytesWriter()
        w.beginObject()
        w.field("author", author)
        w.key("body"); w.beginObject(); w.field("$sealed", value); w.endObject()
        w.key("clock"); w.clock(clock)
        w.field("device", device)
        w.field("id", id)
        w.key("seq"); w.integer(seq)
        w.field("type", type)
        w.endObject()
        return Data(w.bytes)
    }

    public static func decode(_ data: Data) throws -> EventEnvelope { try data.withUnsafeBytes { try decode(bytes: $0) } }

    /// Reads the envelope of a plain or sealed record, skipping a plain body unread. As strict
    /// as `FastEventDecoder` about the envelope (a key twice, a bad UUID or clock throw).
    public static func decode(bytes: UnsafeRawBufferPointer) throws(FastDecodingError) -> EventEnvelope {
        var s = JSONScanner(bytes)
        s.skipByteOrderMark()
        var id: UUID?, device: UUID?, seq: UInt64?, clock: HLC?, author: String?, type: String?
        var sealed: String?
        var seen = Seen()
        if try s.openObject(depth: 1) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "id"), try s.first(&seen, 0) {
                    id = try s.uuid()
                } else if s.match(k, "device"), try s.first(&seen, 1) {
                    device = try s.uuid()
                } else if s.match(k, "seq"), try s.first(&seen, 2) {
                    seq = try s.uint64()
                } else if s.match(k, "clock"), try s.first(&seen, 3) {
                    clock = try s.hlc()
                } else if s.match(k, "author"), try s.first(&seen, 4) {
                    author = try s.string()
                } else if s.match(k, "type"), try s.first(&seen, 5) {
                    type = try s.string()
                } else if s.match(k, "body"), try s.first(&seen, 6) {
                    sealed = try sealedValue(&s)
                } else {
                    try s.skipUnknown(k, &seen, depth: 2)
                }
            } while try s.nextMember()
        }
        try s.expectEnd()
        let end = s.pos
        guard let id else { throw FastEventDecoder.missing("id", end) }
        guard let device else { throw FastEventDecoder.missing("device", end) }
        guard let seq else { throw FastEventDecoder.missing("seq", end) }
        guard let clock else { throw FastEventDecoder.missing("clock", end) }
        guard let author else { throw FastEventDecoder.missing("author", end) }
        guard let type else { throw FastEventDecoder.missing("type", end) }
        return EventEnvelope(id: id, device: device, seq: seq, clock: clock, author: author, type: type, sealed: sealed)
    }

    /// The `$sealed` value when the body is exactly `{"$sealed":"…"}`, else nil (the body skipped).
    static func sealedValue(_ s: inout JSONScanner) throws(FastDecodingError) -> String? {
        let start = s.pos
        if try s.peek() == UInt8(ascii: "{"), try s.openObject(depth: 2) {
            let k = try s.readKey()
            if s.match(k, "$sealed"), try s.peek() == JSONScanner.quote {
                let value = try s.string()
                if try s.peek() == UInt8(ascii: "}") {
                    s.pos += 1
                    return value
                }
            }
        }
        s.pos = start
        try s.skipValue(depth: 2)
        return nil
    }
}
