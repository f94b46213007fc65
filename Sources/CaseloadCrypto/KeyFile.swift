import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The data keys a caseload's records are sealed with, unlocked by the worker's passphrase.
/// `current` seals new records; every older key (an earlier team key epoch) still opens its own.
public struct Keyring: Sendable {
    public var keys: [String: [UInt8]]
    public var current: String
    public init(keys: [String: [UInt8]], current: String) {
        precondition(keys[current]?.count == Sodium.keyBytes)
        self.keys = keys
        self.current = current
    }
    public var currentKey: [UInt8] { keys[current]! }

    /// The device's X25519 secret key (`TeamKeys`), kept among the wrapped keys so a passphrase
    /// change rewraps it like the rest; never a key records are sealed with, never granted.
    public static let deviceSecretId = "device-x25519"
    /// The keys records are sealed with (every epoch), without the device's secret.
    public var dataKeys: [String: [UInt8]] { keys.filter { $0.key != Keyring.deviceSecretId } }
}

/// `<data>/keys.json` (0600): the data keys, each wrapped (XChaCha20-Poly1305) by a key derived
/// from the passphrase with Argon2id under the stored salt and limits. Changing the passphrase
/// rewraps the data keys and rewrites only this file: no record is sealed again.
///
///     {"current":"<id>","format":1,"kdf":{"algorithm":"argon2id13","memLimit":…,"opsLimit":…,"salt":"<b64>"},
///      "keys":[{"epoch":1,"id":"<id>","wrapped":"<b64 nonce|ciphertext|tag>"}]}
public struct KeyFile: Codable, Sendable, Equatable {
    public struct KDF: Codable, Sendable, Equatable {
        public var algorithm: String
        public var opsLimit: UInt64
        public var memLimit: Int
        public var salt: String
    }

    public struct WrappedKey: Codable, Sendable, Equatable {
        public var id: String
        /// 1 for the first team key; a rotation (a worker left) adds the next epoch.
        public var epoch: Int
        public var wrapped: String
    }

    public var format: Int
    public var kdf: KDF
    public var keys: [WrappedKey]
    public var current: String
    /// The device's X25519 public key (base64), once `team-key request` made its pair.
    public var devicePublicKey: String?

    public static let name = "keys.json"
    public static let algorithm = "argon2id13"
    /// Argon2id limits for new and changed passphrases: 3 passes over 64 MiB, about a quarter
    /// of a second on a small laptop. Stored per file, so raising them later needs only a
    /// passphrase change (which always uses these), never a rewrite of the journal.
    public static let defaultOpsLimit: UInt64 = 3
    public static let defaultMemLimit = 64 << 20

    public static func path(in dir: URL) -> String { dir.appendingPathComponent(name).path }
    public static func exists(in dir: URL) -> Bool { FileManager.default.fileExists(atPath: path(in: dir)) }

    public static func read(in dir: URL) throws -> KeyFile {
        let path = path(in: dir)
        guard let data = FileManager.default.contents(atPath: path) else { throw CryptoError.badKeyFile("\(path) cannot be read") }
        guard let file = try? JSONDecoder().decode(KeyFile.self, from: data), file.format == 1,
              file.keys.contains(where: { $0.id == file.current }) else {
            throw CryptoError.badKeyFile("\(path) is not a caseload key file (or is from a newer version)")
        }
        guard file.kdf.algorithm == algorithm else { throw CryptoError.badKeyFile("\(path) uses key derivation '\(file.kdf.algorithm)', which this version does not know") }
        return file
    }

    /// A new key file with one fresh data key (epoch 1), and that key unlocked.
    public static func create(passphrase: [UInt8], sodium: Sodium) throws -> (KeyFile, Keyring) {
        let id = hex(sodium.randomBytes(8))
        let keyring = Keyring(keys: [id: sodium.randomBytes(Sodium.keyBytes)], current: id)
        let file = try wrapping(keyring, epochs: [id: 1], passphrase: passphrase, sodium: sodium)
        return (file, keyring)
    }

    /// The same keys under a new passphrase (and a new salt and today's limits).
    public func rewrapped(_ keyring: Keyring, passphrase: [UInt8], sodium: Sodium, epochs extra: [String: Int] = [:],
                          devicePublicKey: String? = nil) throws -> KeyFile {
        try KeyFile.wrapping(keyring, epochs: Dictionary(uniqueKeysWithValues: keys.map { ($0.id, $0.epoch) }).merging(extra) { $1 },
                             passphrase: passphrase, sodium: sodium, devicePublicKey: devicePublicKey ?? self.devicePublicKey)
    }

    /// The epoch of each key id (0 for the device's secret).
    public var epochs: [String: Int] { Dictionary(uniqueKeysWithValues: keys.map { ($0.id, $0.epoch) }) }

    /// Every data key, or `wrongPassphrase` (the tag of a wrapped key fails).
    public func unlock(passphrase: [UInt8], sodium: Sodium) throws -> Keyring {
        guard let salt = Data(base64Encoded: kdf.salt), salt.count == Sodium.saltBytes else {
            throw CryptoError.badKeyFile("the key file's salt is damaged")
        }
        guard var kek = sodium.deriveKey(passphrase: passphrase, salt: Array(salt), opsLimit: kdf.opsLimit, memLimit: kdf.memLimit) else {
            throw CryptoError.badKeyFile("the key file's Argon2id limits are out of range (or memory ran out)")
        }
        defer { sodium.wipe(&kek) }
        var out: [String: [UInt8]] = [:]
        for k in keys {
            guard let box = Data(base64Encoded: k.wrapped) else { throw CryptoError.badKeyFile("a wrapped key in the key file is damaged") }
            let key = box.withUnsafeBytes { b in Array(KeyFile.wrapAD(k.id).utf8).withUnsafeBytes { sodium.open(b, ad: $0, key: kek) } }
            guard let key, key.count == Sodium.keyBytes else { throw CryptoError.wrongPassphrase }
            out[k.id] = key
        }
        // A key file edited or damaged so its current key is not among its keys: refused, not a trap.
        guard out[current] != nil else { throw CryptoError.badKeyFile("the key file names a current key it does not hold") }
        return Keyring(keys: out, current: current)
    }

    static func wrapping(_ keyring: Keyring, epochs: [String: Int], passphrase: [UInt8], sodium: Sodium, devicePublicKey: String? = nil) throws -> KeyFile {
        let salt = sodium.randomBytes(Sodium.saltBytes)
        guard var kek = sodium.deriveKey(passphrase: passphrase, salt: salt, opsLimit: defaultOpsLimit, memLimit: defaultMemLimit) else {
            throw CryptoError.invalid("the passphrase could not be turned into a key (out of memory?); nothing was changed")
        }
        defer { sodium.wipe(&kek) }
        let wrapped = keyring.keys.keys.sorted().map { id -> WrappedKey in
            let box = keyring.keys[id]!.withUnsafeBytes { k in Array(wrapAD(id).utf8).withUnsafeBytes { sodium.seal(k, ad: $0, key: kek) } }
            return WrappedKey(id: id, epoch: epochs[id] ?? 1, wrapped: Data(box).base64EncodedString())
        }
        return KeyFile(format: 1, kdf: KDF(algorithm: algorithm, opsLimit: defaultOpsLimit, memLimit: defaultMemLimit,
                                            salt: Data(salt).base64EncodedString()),
                       keys: wrapped, current: keyring.current, devicePublicKey: devicePublicKey)
    }

    /// Binds a wrapped key to its id, so two wrapped keys cannot be swapped in the file.
    static func wrapAD(_ id: String) -> String { "caseload data key \(id)" }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// Replaces the file whole: written beside it (0600), fsynced, renamed over it, folder fsynced.
    public func save(in dir: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        let path = KeyFile.path(in: dir)
        let temp = path + ".tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CryptoError.invalid("cannot write \(temp): \(String(cString: strerror(errno)))") }
        _ = fchmod(fd, 0o600)
        let ok = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) == $0.count } && fsync(fd) == 0
        close(fd)
        guard ok, rename(temp, path) == 0 else { throw CryptoError.invalid("cannot write \(path): \(String(cString: strerror(errno)))") }
        let dfd = open(dir.path, O_RDONLY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }
}
