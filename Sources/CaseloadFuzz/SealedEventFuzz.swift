import CaseloadCore
import CaseloadCrypto
import Foundation

/// The `sealed-event` target: a record of an encrypted journal, sealed with a fixed test key.
/// Whatever the bytes, reading the envelope and opening the seal either work or throw; what
/// opens must be the event its clear envelope names, and seal and open again unchanged.
/// Records about a person carry a person part (fixed keys, so a saved corpus still opens), and
/// the last seed's person is erased, so the redacted path is read too.
enum SealedEventFuzz {
    static let subjects = CaseloadState().subjects(of: FuzzSeeds.events.map(\.body))
    static let erasedPerson = subjects.compactMap { $0 }.last

    /// Nil where libsodium is missing: the target then checks the envelope reader alone.
    static let sealer: EventSealer? = (try? Sodium.load()).map {
        let people = Set(subjects.compactMap { $0 })
        let keys = PersonKeys(keys: Dictionary(uniqueKeysWithValues: people.map { ($0, [UInt8](repeating: 9, count: Sodium.keyBytes)) }))
        return EventSealer(sodium: $0, keyring: Keyring(keys: ["f0220000fuzzkey0": [UInt8](repeating: 7, count: Sodium.keyBytes)], current: "f0220000fuzzkey0"),
                           personKeys: keys)
    }

    static var seeds: [[UInt8]] {
        guard let sealer else { return FuzzSeeds.eventPayloads.map { Array($0) } }
        let records = FuzzSeeds.events.enumerated().map { i, e in Array(EventCodec(sealer: sealer).copyPayload(for: e, person: subjects[i])) }
        if let erasedPerson { sealer.personKeys.erase(erasedPerson) }
        return records
    }

    static func check(_ bytes: [UInt8]) throws {
        let envelope = try? bytes.withUnsafeBytes { try EventEnvelope.decode(bytes: $0) }
        guard let sealer, let e = try? bytes.withUnsafeBytes({ try sealer.event(from: $0) }) else { return }
        if let envelope, envelope.sealed != nil {
            var clear = envelope
            clear.sealed = nil
            guard clear == EventEnvelope(e) else { throw FuzzFailure("a sealed record opened to an event its envelope does not name") }
        }
        let person = CaseloadState().subjects(of: [e.body])[0]
        guard let again = try? EventCodec(sealer: sealer).copyPayload(for: e, person: person).withUnsafeBytes({ try sealer.event(from: $0) }), again == e else {
            throw FuzzFailure("an opened event did not seal and open again unchanged")
        }
    }
}
