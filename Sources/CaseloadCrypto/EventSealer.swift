import Foundation
import CaseloadCore

/// Seals event bodies before they are written and opens them as they are read. A sealed
/// record keeps its envelope (id, device, seq, clock, author, type) in clear in the same JSON
/// places as a plain one, for sync and the server's row checks; its body becomes
/// `{"$sealed":"<key id>:<base64 nonce|ciphertext|tag>"}`. The ciphertext is the whole plain
/// record, and the associated data is the record with an empty body, so a sealed body moved to
/// another envelope, or an envelope changed, fails to open.
///
/// A record about a person with personal fields (`EventBody.hasPersonalFields`) has two parts:
/// `"<key id>:<outer>:<person part>"`. The outer box (team key) holds a marker byte, the
/// person's id and the record redacted (`EventBody.redacted`); the person part (that person's
/// own key, `PersonKeys`) holds the whole record. Erasing the person destroys their key, and the
/// record then opens to its redacted form on every device: counted, never read.
public struct EventSealer: Sendable {
    let sodium: Sodium
    public let keyring: Keyring
    public let personKeys: PersonKeys

    /// Left in clear: a worker's registration (name, id, team, role) is what the server's
    /// row-level security reads to know who is in which team; it holds no patient's data.
    public static let clearTypes: Set<String> = ["worker.registered"]

    public init(sodium: Sodium, keyring: Keyring, personKeys: PersonKeys = PersonKeys()) {
        self.sodium = sodium
        self.keyring = keyring
        self.personKeys = personKeys
    }

    /// The record for `e`. `person` is whom it is about (`CaseloadState.subjects`): given, and
    /// the body has personal fields, those go in a part sealed with the person's key (made now
    /// if they have none: `personKeys.isDirty` then says the key file must be written first).
    /// An erased person has no key: nil, nothing about them is written.
    public func payload(for e: Event, person: UUID? = nil) -> Data? {
        let plain = FastEventEncoder.encode(e)
        if EventSealer.clearTypes.contains(e.body.type) { return plain }
        let envelope = EventEnvelope(e)
        let ad = EventSealer.associatedData(keyId: keyring.current, envelope: envelope)
        guard let person, e.body.hasPersonalFields else {
            let box = plain.withUnsafeBytes { m in ad.withUnsafeBytes { sodium.seal(m, ad: $0, key: keyring.currentKey) } }
            return envelope.sealedRecord(keyring.current + ":" + Data(box).base64EncodedString())
        }
        guard let personKey = personKeys.sealingKey(person, sodium: sodium) else { return nil }
        var outer = [EventSealer.personPartMarker]
        withUnsafeBytes(of: person.uuid) { outer += $0 }
        outer += FastEventEncoder.encode(Event(id: e.id, device: e.device, seq: e.seq, clock: e.clock, author: e.author, body: e.body.redacted))
        let outerBox = outer.withUnsafeBytes { m in ad.withUnsafeBytes { sodium.seal(m, ad: $0, key: keyring.currentKey) } }
        let personAD = EventSealer.personAssociatedData(keyId: keyring.current, person: person, envelope: envelope)
        let personBox = plain.withUnsafeBytes { m in personAD.withUnsafeBytes { sodium.seal(m, ad: $0, key: personKey) } }
        return envelope.sealedRecord(keyring.current + ":" + Data(outerBox).base64EncodedString() + ":" + Data(personBox).base64EncodedString())
    }

    /// The event of a plain or sealed record. A sealed one that does not open (changed bytes,
    /// a swapped envelope, a key this device lacks) throws: it is damage, never folded.
    public func event(from bytes: UnsafeRawBufferPointer) throws -> Event {
        guard EventSealer.looksSealed(bytes) else { return try Event.decode(bytes: bytes) }
        return try EventSealer.open(bytes, keyring: keyring, personKeys: personKeys, sodium: sodium)
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

    static func open(_ bytes: UnsafeRawBufferPointer, keyring: Keyring, personKeys: PersonKeys, sodium: Sodium) throws -> Event {
        var envelope = try EventEnvelope.decode(bytes: bytes)
        guard let sealed = envelope.sealed else { throw SealError.notSealed }
        let parts = sealed.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { throw SealError.tampered }
        let keyId = String(parts[0])
        guard let key = keyring.keys[keyId] else { throw SealError.unknownKey }
        guard let box = Data(base64Encoded: String(parts[1])) else { throw SealError.tampered }
        envelope.sealed = nil
        let ad = associatedData(keyId: keyId, envelope: envelope)
        guard let plain = box.withUnsafeBytes({ b in ad.withUnsafeBytes { sodium.open(b, ad: $0, key: key) } }) else { throw SealError.tampered }
        let e: Event
        if plain.first == personPartMarker {
            // A record with a person part: the whole record if the person's key is here, the
            // redacted one if they were erased.
            guard parts.count == 3, plain.count > 17, let personBox = Data(base64Encoded: String(parts[2])) else { throw SealError.tampered }
            let person = UUID(uuid: (plain[1], plain[2], plain[3], plain[4], plain[5], plain[6], plain[7], plain[8],
                                     plain[9], plain[10], plain[11], plain[12], plain[13], plain[14], plain[15], plain[16]))
            switch personKeys.lookup(person) {
            case .key(let personKey):
                let personAD = personAssociatedData(keyId: keyId, person: person, envelope: envelope)
                guard let whole = personBox.withUnsafeBytes({ b in personAD.withUnsafeBytes { sodium.open(b, ad: $0, key: personKey) } }) else {
                    throw SealError.tampered
                }
                e = try whole.withUnsafeBytes { try Event.decode(bytes: $0) }
            case .erased:
                e = try plain.withUnsafeBytes { try Event.decode(bytes: UnsafeRawBufferPointer(rebasing: $0[17...])) }
            case .unknown:
                throw SealError.unknownPersonKey
            }
        } else {
            guard parts.count == 2 else { throw SealError.tampered }
            e = try plain.withUnsafeBytes { try Event.decode(bytes: $0) }
        }
        guard EventEnvelope(e) == envelope else { throw SealError.tampered }
        return e
    }

    /// The first byte of an outer box that has a person part; a plain record's first is `{`.
    static let personPartMarker: UInt8 = 1

    static func personAssociatedData(keyId: String, person: UUID, envelope: EventEnvelope) -> Data {
        var ad = Data("caseload person part 1 \(keyId) \(person.lowercasedString)\n".utf8)
        ad.append(envelope.clearBytes())
        return ad
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
    case unknownPersonKey
    case notSealed

    public var description: String {
        switch self {
        case .tampered: return "a sealed record does not open: it was changed or damaged"
        case .unknownKey: return "a sealed record uses a key this device does not hold"
        case .unknownPersonKey: return "a sealed record's personal part uses a person's key this device does not hold (sync again to fetch the keys)"
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

    /// The record for `e` (see `EventSealer.payload`); nil only for a sealed record about an
    /// erased person.
    public func payload(for e: Event, person: UUID? = nil) -> Data? {
        guard let sealer else { return FastEventEncoder.encode(e) }
        return sealer.payload(for: e, person: person)
    }

    public func event(from bytes: UnsafeRawBufferPointer) throws -> Event {
        if let sealer { return try sealer.event(from: bytes) }
        do { return try Event.decode(bytes: bytes) } catch {
            // Said as what it is, not as a missing field: a plain caseload holds no keys.
            if EventSealer.looksSealed(bytes) { throw SealError.unknownKey }
            throw error
        }
    }

    /// The record for an event read back to be written again (a conversion, a device fork): as
    /// `payload`, and for a record of someone erased (read back redacted) the redacted record
    /// under the team key alone: nothing of theirs is left to seal.
    public func copyPayload(for e: Event, person: UUID?) -> Data {
        payload(for: e, person: person) ?? payload(for: e, person: nil)!
    }

    public func event(from data: Data) throws -> Event { try data.withUnsafeBytes { try event(from: $0) } }
}
