import Foundation
import CaseloadCore

/// Seals event bodies before they are written and opens them as they are read. A sealed
/// record keeps its envelope (id, device, seq, clock, author, type) in clear in the same JSON
/// places as a plain one, for sync and the server's row checks; its body becomes
/// `{"$sealed":"<key id>:<base64 nonce|ciphertext|tag>"}`. The ciphertext is the whole plain
/// record, and the associated data is the record with an empty body, so a sealed body moved to
/// another envelope, or an envelope changed, fails to open.
public struct EventSealer: Sendable {
    let sodium: Sodium
    public let keyring: Keyring

    /// Left in clear: a worker's registration (name, id, team, role) is what the server's
    /// row-level security reads to know who is in which team; it holds no patient's data.
    public static let clearTypes: Set<String> = ["worker.registered"]

    public init(sodium: Sodium, keyring: Keyring) {
        self.sodium = sodium
        self.keyring = keyring
    }

    public func payload(for e: Event) -> Data {
        let plain = FastEventEncoder.encode(e)
        if EventSealer.clearTypes.contains(e.body.type) { return plain }
        let envelope = EventEnvelope(e)
        let ad = EventSealer.associatedData(keyId: keyring.current, envelope: envelope)
        let box = plain.withUnsafeBytes { m in ad.withUnsafeBytes { sodium.seal(m, ad: $0, key: keyring.currentKey) } }
        return envelope.sealedRecord(keyring.current + ":" + Data(box).base64EncodedString())
    }

    /// The event of a plain or sealed record. A sealed one that does not open (changed bytes,
    /// a swapped envelope, a key this device lacks) throws: it is damage, never folded.
    public func event(from bytes: UnsafeRawBufferPointer) throws -> Event {
        guard EventSealer.looksSealed(bytes) else { return try Event.decode(bytes: bytes) }
        return try EventSealer.open(bytes, keyring: keyring, sodium: sodium)
    }

    /// A whole file sealed with the current key: key id length u8 | key id | nonce | ciphertext | tag.
    /// `context` (what the file is, and whose) is the associated data.
    public func sealFile(_ bytes: UnsafeRawBufferPointer, context: [UInt8]) -> [UInt8] {
        let id = Array(keyring.current.utf8)
        let box = (id + context).withUnsafeBytes { sodium.seal(bytes, ad: $0, key: keyring.currentKey) }
        return [UInt8(id.count)] + id + box
    }

    /// The file `sealFile` sealed, or nil (another key or context, or changed bytes).
    public func openFile(_ bytes: UnsafeRawBufferPointer, context: [UInt8]) -> [UInt8]? {
        guard let n = bytes.first.map(Int.init), bytes.count > 1 + n else { return nil }
        let id = Array(bytes[1..<(1 + n)])
        guard let key = keyring.keys[String(decoding: id, as: UTF8.self)] else { return nil }
        return (id + context).withUnsafeBytes { sodium.open(UnsafeRawBufferPointer(rebasing: bytes[(1 + n)...]), ad: $0, key: key) }
    }

    static func open(_ bytes: UnsafeRawBufferPointer, keyring: Keyring, sodium: Sodium) throws -> Event {
        var envelope = try EventEnvelope.decode(bytes: bytes)
        guard let sealed = envelope.sealed, let colon = sealed.firstIndex(of: ":") else { throw SealError.notSealed }
        let keyId = String(sealed[..<colon])
        guard let key = keyring.keys[keyId] else { throw SealError.unknownKey }
        guard let box = Data(base64Encoded: String(sealed[sealed.index(after: colon)...])) else { throw SealError.tampered }
        envelope.sealed = nil
        let ad = associatedData(keyId: keyId, envelope: envelope)
        guard let plain = box.withUnsafeBytes({ b in ad.withUnsafeBytes { sodium.open(b, ad: $0, key: key) } }) else { throw SealError.tampered }
        let e = try plain.withUnsafeBytes { try Event.decode(bytes: $0) }
        guard EventEnvelope(e) == envelope else { throw SealError.tampered }
        return e
    }

    static func associatedData(keyId: String, envelope: EventEnvelope) -> Data {
        var ad = Data("caseload sealed event 1 \(keyId)\n".utf8)
        ad.append(envelope.clearBytes())
        return ad
    }

    /// `{"author":"…","body":{"$sealed":"` at the start, as `EventEnvelope.sealedRecord` writes
    /// it: a cheap test that sends plain records straight to the plain decoder.
    static func looksSealed(_ p: UnsafeRawBufferPointer) -> Bool {
        let head = Array("{\"author\":\"".utf8)
        guard p.count > head.count, p.prefix(head.count).elementsEqual(head) else { return false }
        var i = head.count
        while i < p.count, p[i] != UInt8(ascii: "\"") { i += p[i] == UInt8(ascii: "\\") ? 2 : 1 }
        let tail = Array("\",\"body\":{\"$sealed\":\"".utf8)
        guard i + tail.count <= p.count else { return false }
        return UnsafeRawBufferPointer(rebasing: p[i..<(i + tail.count)]).elementsEqual(tail)
    }
}

public enum SealError: Error, Equatable, CustomStringConvertible {
    case tampered
    case unknownKey
    case notSealed

    public var description: String {
        switch self {
        case .tampered: return "a sealed record does not open: it was changed or damaged"
        case .unknownKey: return "a sealed record uses a key this device does not hold"
        case .notSealed: return "not a sealed record"
        }
    }
}

/// How a store turns events into record payloads and back: plain JSON, or sealed.
public struct EventCodec: Sendable {
    public let sealer: EventSealer?
    public init(sealer: EventSealer?) { self.sealer = sealer }
    public static let plain = EventCodec(sealer: nil)

    public var isSealed: Bool { sealer != nil }

    public func payload(for e: Event) -> Data { sealer?.payload(for: e) ?? FastEventEncoder.encode(e) }

    public func event(from bytes: UnsafeRawBufferPointer) throws -> Event {
        if let sealer { return try sealer.event(from: bytes) }
        do { return try Event.decode(bytes: bytes) } catch {
            // Said as what it is, not as a missing field: a plain caseload holds no keys.
            if EventSealer.looksSealed(bytes) { throw SealError.unknownKey }
            throw error
        }
    }

    public func event(from data: Data) throws -> Event { try data.withUnsafeBytes { try event(from: $0) } }
}
