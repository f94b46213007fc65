import CaseloadCore
import CaseloadCrypto
import Foundation

/// The `sealed-event` target: a record of an encrypted journal, sealed with a fixed test key.
/// Whatever the bytes, reading the envelope and opening the seal either work or throw; what
/// opens must be the event its clear envelope names, and seal and open again unchanged.
enum SealedEventFuzz {
    /// Nil where libsodium is missing: the target then checks the envelope reader alone.
    static let sealer: EventSealer? = (try? Sodium.load()).map {
        EventSealer(sodium: $0, keyring: Keyring(keys: ["f0220000fuzzkey0": [UInt8](repeating: 7, count: Sodium.keyBytes)], current: "f0220000fuzzkey0"))
    }

    static var seeds: [[UInt8]] {
        guard let sealer else { return FuzzSeeds.eventPayloads.map { Array($0) } }
        return FuzzSeeds.events.map { Array(sealer.payload(for: $0)) }
    }

    static func check(_ bytes: [UInt8]) throws {
        let envelope = try? bytes.withUnsafeBytes { try EventEnvelope.decode(bytes: $0) }
        guard let sealer, let e = try? bytes.withUnsafeBytes({ try sealer.event(from: $0) }) else { return }
        if let envelope, envelope.sealed != nil {
            var clear = envelope
            clear.sealed = nil
            guard clear == EventEnvelope(e) else { throw FuzzFailure("a sealed record opened to an event its envelope does not name") }
        }
        guard let again = try? sealer.payload(for: e).withUnsafeBytes({ try sealer.event(from: $0) }), again == e else {
            throw FuzzFailure("an opened event did not seal and open again unchanged")
        }
    }
}
