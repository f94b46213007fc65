import Foundation
import CaseloadCore
import CaseloadCrypto

/// Turning encryption on, unlocking, and changing the passphrase: the steps the CLI and the
/// app share. Each loads libsodium and derives keys before writing anything, so a missing
/// library or a wrong passphrase leaves every file as it was.
public enum EncryptedCaseload {
    /// Fewer characters than this is refused: Argon2id slows guessing, it cannot make a short passphrase strong.
    public static let minimumPassphrase = 8

    public static func isEncrypted(_ dir: URL) -> Bool { KeyFile.exists(in: dir) }

    /// A new key file and its codec, for `DataDirectory.initialize(…, encryption:)`.
    public static func newKeys(passphrase: [UInt8]) throws -> (keyFile: KeyFile, codec: EventCodec) {
        try checkNew(passphrase)
        let sodium = try Sodium.load()
        let (file, keyring) = try KeyFile.create(passphrase: passphrase, sodium: sodium)
        return (file, EventCodec(sealer: EventSealer(sodium: sodium, keyring: keyring)))
    }

    /// The codec of an encrypted caseload (`wrongPassphrase` when it does not unlock).
    public static func unlock(_ dir: URL, passphrase: [UInt8]) throws -> EventCodec {
        let file = try KeyFile.read(in: dir)
        let sodium = try Sodium.load()
        let keyring = try file.unlock(passphrase: passphrase, sodium: sodium)
        return EventCodec(sealer: EventSealer(sodium: sodium, keyring: keyring))
    }

    /// Rewraps the data keys under `new`; only `keys.json` is rewritten (whole, by rename).
    public static func changePassphrase(_ dir: URL, old: [UInt8], new: [UInt8]) throws {
        try checkNew(new)
        let file = try KeyFile.read(in: dir)
        let sodium = try Sodium.load()
        let keyring = try file.unlock(passphrase: old, sodium: sodium)
        try file.rewrapped(keyring, passphrase: new, sodium: sodium).save(in: dir)
    }

    static func checkNew(_ passphrase: [UInt8]) throws {
        guard String(decoding: passphrase, as: UTF8.self).count >= minimumPassphrase else {
            throw CryptoError.invalid("the passphrase is shorter than \(minimumPassphrase) characters; nothing was changed")
        }
    }
}
