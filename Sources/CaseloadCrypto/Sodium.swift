import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libsodium, opened with `dlopen` the first time an encrypted caseload is opened or created
/// (as libpq is for PostgreSQL sync): building caseload needs no headers, and a plain caseload
/// or `--demo` never loads it. Only the few functions encryption uses are bound.
public final class Sodium: @unchecked Sendable {
    typealias InitFn = @convention(c) () -> Int32
    typealias AEADEncryptFn = @convention(c) (UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt64>?,
                                              UnsafePointer<UInt8>?, UInt64, UnsafePointer<UInt8>?, UInt64,
                                              UnsafePointer<UInt8>?, UnsafePointer<UInt8>?, UnsafePointer<UInt8>?) -> Int32
    typealias AEADDecryptFn = @convention(c) (UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt64>?,
                                              UnsafeMutablePointer<UInt8>?, UnsafePointer<UInt8>?, UInt64,
                                              UnsafePointer<UInt8>?, UInt64, UnsafePointer<UInt8>?, UnsafePointer<UInt8>?) -> Int32
    typealias PwhashFn = @convention(c) (UnsafeMutablePointer<UInt8>?, UInt64, UnsafePointer<CChar>?, UInt64,
                                         UnsafePointer<UInt8>?, UInt64, Int, Int32) -> Int32
    typealias RandomFn = @convention(c) (UnsafeMutableRawPointer?, Int) -> Void
    typealias MemzeroFn = @convention(c) (UnsafeMutableRawPointer?, Int) -> Void
    typealias BoxKeypairFn = @convention(c) (UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt8>?) -> Int32
    typealias BoxSealFn = @convention(c) (UnsafeMutablePointer<UInt8>?, UnsafePointer<UInt8>?, UInt64, UnsafePointer<UInt8>?) -> Int32
    typealias BoxSealOpenFn = @convention(c) (UnsafeMutablePointer<UInt8>?, UnsafePointer<UInt8>?, UInt64,
                                              UnsafePointer<UInt8>?, UnsafePointer<UInt8>?) -> Int32
    typealias GenericHashFn = @convention(c) (UnsafeMutablePointer<UInt8>?, Int, UnsafePointer<UInt8>?, UInt64,
                                              UnsafePointer<UInt8>?, Int) -> Int32

    // XChaCha20-Poly1305 (IETF): 32-byte key, 24-byte random nonce, 16-byte tag.
    public static let keyBytes = 32
    public static let nonceBytes = 24
    public static let tagBytes = 16
    // Argon2id v1.3 (crypto_pwhash_ALG_ARGON2ID13) and its 16-byte salt.
    public static let argon2id13: Int32 = 2
    public static let saltBytes = 16
    // X25519 sealed boxes (crypto_box_seal): a device's key pair, and what a box adds.
    public static let publicKeyBytes = 32
    public static let secretKeyBytes = 32
    public static let sealOverhead = 48

    let aeadEncrypt: AEADEncryptFn
    let aeadDecrypt: AEADDecryptFn
    let pwhash: PwhashFn
    let random: RandomFn
    let memzero: MemzeroFn
    let boxKeypair: BoxKeypairFn
    let boxSeal: BoxSealFn
    let boxSealOpen: BoxSealOpenFn
    let genericHash: GenericHashFn

    /// Where to look. `CASELOAD_LIBSODIUM` names a file (tests use it to simulate a machine without it).
    static func candidates(environment: [String: String]) -> [String] {
        if let explicit = environment["CASELOAD_LIBSODIUM"], !explicit.isEmpty { return [explicit] }
        #if os(macOS)
        return ["libsodium.26.dylib", "libsodium.23.dylib", "/opt/homebrew/lib/libsodium.dylib", "/usr/local/lib/libsodium.dylib"]
        #else
        return ["libsodium.so.23", "libsodium.so.26", "libsodium.so"]
        #endif
    }

    public static var installHint: String {
        #if os(macOS)
        return "an encrypted caseload needs libsodium: brew install libsodium"
        #else
        return "an encrypted caseload needs libsodium: apt-get install libsodium23"
        #endif
    }

    /// The library, loaded once per process.
    static let shared: Result<Sodium, CryptoError> = {
        for name in candidates(environment: ProcessInfo.processInfo.environment) {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            if let lib = Sodium(handle: handle) { return .success(lib) }
            dlclose(handle)
            return .failure(.libraryMissing("\(name) is too old or could not start (it lacks XChaCha20-Poly1305 or Argon2id); install libsodium 1.0.12 or newer"))
        }
        return .failure(.libraryMissing(installHint))
    }()

    public static func load() throws -> Sodium { try shared.get() }

    private init?(handle: UnsafeMutableRawPointer) {
        func symbol<T>(_ name: String, _: T.Type) -> T? {
            guard let p = dlsym(handle, name) else { return nil }
            return unsafeBitCast(p, to: T.self)
        }
        guard let initialise = symbol("sodium_init", InitFn.self),
              let enc = symbol("crypto_aead_xchacha20poly1305_ietf_encrypt", AEADEncryptFn.self),
              let dec = symbol("crypto_aead_xchacha20poly1305_ietf_decrypt", AEADDecryptFn.self),
              let pw = symbol("crypto_pwhash", PwhashFn.self),
              let rnd = symbol("randombytes_buf", RandomFn.self),
              let zero = symbol("sodium_memzero", MemzeroFn.self),
              let keypair = symbol("crypto_box_keypair", BoxKeypairFn.self),
              let bseal = symbol("crypto_box_seal", BoxSealFn.self),
              let bopen = symbol("crypto_box_seal_open", BoxSealOpenFn.self),
              let hash = symbol("crypto_generichash", GenericHashFn.self) else { return nil }
        // 0 started, 1 already started; -1 failed (no entropy source).
        guard initialise() >= 0 else { return nil }
        aeadEncrypt = enc; aeadDecrypt = dec; pwhash = pw; random = rnd; memzero = zero
        boxKeypair = keypair; boxSeal = bseal; boxSealOpen = bopen; genericHash = hash
    }

    /// A new X25519 key pair for sealed boxes.
    public func newBoxKeyPair() -> (publicKey: [UInt8], secretKey: [UInt8]) {
        var pk = [UInt8](repeating: 0, count: Sodium.publicKeyBytes), sk = [UInt8](repeating: 0, count: Sodium.secretKeyBytes)
        _ = boxKeypair(&pk, &sk)
        return (pk, sk)
    }

    /// `message` sealed to `publicKey`: only the holder of its secret key opens it; the sender
    /// stays anonymous (the box says nothing of who made it).
    public func sealBox(_ message: [UInt8], to publicKey: [UInt8]) -> [UInt8] {
        precondition(publicKey.count == Sodium.publicKeyBytes)
        var out = [UInt8](repeating: 0, count: message.count + Sodium.sealOverhead)
        _ = boxSeal(&out, message, UInt64(message.count), publicKey)
        return out
    }

    /// The message of a box sealed to this key pair, or nil (another recipient, changed bytes).
    public func openBox(_ box: [UInt8], publicKey: [UInt8], secretKey: [UInt8]) -> [UInt8]? {
        guard box.count >= Sodium.sealOverhead, publicKey.count == Sodium.publicKeyBytes, secretKey.count == Sodium.secretKeyBytes else { return nil }
        var out = [UInt8](repeating: 0, count: box.count - Sodium.sealOverhead)
        var dummy: UInt8 = 0
        let ok = out.withUnsafeMutableBufferPointer { o in
            boxSealOpen(o.baseAddress ?? withUnsafeMutablePointer(to: &dummy) { $0 }, box, UInt64(box.count), publicKey, secretKey) == 0
        }
        return ok ? out : nil
    }

    /// BLAKE2b of `bytes`, `count` bytes long (16 to 64).
    public func hash(_ bytes: [UInt8], count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        _ = genericHash(&out, count, bytes, UInt64(bytes.count), nil, 0)
        return out
    }

    public func randomBytes(_ count: Int) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: count)
        b.withUnsafeMutableBytes { random($0.baseAddress, count) }
        return b
    }

    /// nonce | ciphertext | tag, with a fresh random nonce (24 bytes: random nonces never repeat in practice).
    public func seal(_ message: UnsafeRawBufferPointer, ad: UnsafeRawBufferPointer, key: [UInt8]) -> [UInt8] {
        precondition(key.count == Sodium.keyBytes)
        var out = [UInt8](repeating: 0, count: Sodium.nonceBytes + message.count + Sodium.tagBytes)
        out.withUnsafeMutableBufferPointer { o in
            random(o.baseAddress, Sodium.nonceBytes)
            var written: UInt64 = 0
            _ = aeadEncrypt(o.baseAddress! + Sodium.nonceBytes, &written,
                            message.bindMemory(to: UInt8.self).baseAddress, UInt64(message.count),
                            ad.bindMemory(to: UInt8.self).baseAddress, UInt64(ad.count), nil,
                            o.baseAddress, key)
        }
        return out
    }

    /// The message, or nil when the box was not sealed with this key and these associated
    /// data (changed, truncated, swapped or forged: the tag fails).
    public func open(_ box: UnsafeRawBufferPointer, ad: UnsafeRawBufferPointer, key: [UInt8]) -> [UInt8]? {
        guard key.count == Sodium.keyBytes, box.count >= Sodium.nonceBytes + Sodium.tagBytes else { return nil }
        var out = [UInt8](repeating: 0, count: box.count - Sodium.nonceBytes - Sodium.tagBytes)
        let bytes = box.bindMemory(to: UInt8.self)
        let ok = out.withUnsafeMutableBufferPointer { o -> Bool in
            var written: UInt64 = 0
            // An empty message still needs a valid pointer.
            var dummy: UInt8 = 0
            let dst = o.baseAddress ?? withUnsafeMutablePointer(to: &dummy) { $0 }
            return aeadDecrypt(dst, &written, nil, bytes.baseAddress! + Sodium.nonceBytes,
                               UInt64(box.count - Sodium.nonceBytes), ad.bindMemory(to: UInt8.self).baseAddress,
                               UInt64(ad.count), bytes.baseAddress, key) == 0
        }
        return ok ? out : nil
    }

    /// A 32-byte key from a passphrase with Argon2id; nil when the limits are out of libsodium's range or memory runs out.
    public func deriveKey(passphrase: [UInt8], salt: [UInt8], opsLimit: UInt64, memLimit: Int) -> [UInt8]? {
        guard salt.count == Sodium.saltBytes else { return nil }
        var out = [UInt8](repeating: 0, count: Sodium.keyBytes)
        // A C string copy, so an empty passphrase still passes a valid pointer.
        let text = passphrase.map { CChar(bitPattern: $0) } + [0]
        let rc = text.withUnsafeBufferPointer { p in
            pwhash(&out, UInt64(Sodium.keyBytes), p.baseAddress, UInt64(passphrase.count), salt, opsLimit, memLimit, Sodium.argon2id13)
        }
        return rc == 0 ? out : nil
    }

    public func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { memzero($0.baseAddress, $0.count) }
    }
}

public enum CryptoError: Error, Equatable, CustomStringConvertible {
    case libraryMissing(String)
    case wrongPassphrase
    case noPassphrase(String)
    case badKeyFile(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .libraryMissing(let why): return why
        case .wrongPassphrase: return "wrong passphrase for this caseload; nothing was changed"
        case .noPassphrase(let why): return why
        case .badKeyFile(let why): return why
        case .invalid(let why): return why
        }
    }
}
