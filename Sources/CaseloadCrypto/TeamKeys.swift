import Foundation

/// How a team's devices come to share the team key without it ever travelling in clear (README,
/// "A team's devices"): the new device makes an X25519 key pair and sends a *request* (its id,
/// worker and public key: nothing secret); a colleague who holds the team key checks the
/// request's fingerprint, read out by the new device's user in person or on the phone, and
/// sends back a *grant*: every team key epoch sealed to that public key (`crypto_box_seal`),
/// useless to anyone else. The new device checks the team key's fingerprint, read out the
/// other way, so a server administrator or whoever handles the folder can substitute neither
/// a public key nor a team key of their own. Both travel as one line of text: by the sync
/// folder, email or a chat message alike.
public enum TeamKeys {
    /// `caseload-key-request 1 <device> <worker> <base64 public key>`.
    public struct Request: Equatable, Sendable {
        public var device: UUID
        public var worker: String
        public var publicKey: [UInt8]

        public init(device: UUID, worker: String, publicKey: [UInt8]) {
            self.device = device; self.worker = worker; self.publicKey = publicKey
        }

        static let tag = "caseload-key-request"
        public var text: String { "\(Request.tag) 1 \(device.uuidString.lowercased()) \(worker) \(Data(publicKey).base64EncodedString())" }

        /// The request in `text` (the first line that is one), or nil.
        public static func parse(_ text: String) -> Request? {
            for line in text.split(whereSeparator: \.isNewline) {
                let w = line.split(separator: " ")
                guard w.count == 5, w[0] == tag, w[1] == "1", let d = UUID(uuidString: String(w[2])), w[3].utf8.count <= 200,
                      let pk = Data(base64Encoded: String(w[4])), pk.count == Sodium.publicKeyBytes else { continue }
                return Request(device: d, worker: String(w[3]), publicKey: Array(pk))
            }
            return nil
        }
    }

    /// `caseload-key-grant 1 <device> <base64 box>`: the box opens only with that device's secret key.
    public struct Grant: Equatable, Sendable {
        public var device: UUID
        public var box: [UInt8]

        static let tag = "caseload-key-grant"
        public var text: String { "\(Grant.tag) 1 \(device.uuidString.lowercased()) \(Data(box).base64EncodedString())" }

        public static func parse(_ text: String) -> Grant? {
            for line in text.split(whereSeparator: \.isNewline) {
                let w = line.split(separator: " ")
                guard w.count == 4, w[0] == tag, w[1] == "1", let d = UUID(uuidString: String(w[2])),
                      w[3].utf8.count <= 1 << 20, let box = Data(base64Encoded: String(w[3])) else { continue }
                return Grant(device: d, box: Array(box))
            }
            return nil
        }
    }

    /// What a grant carries: every team key epoch, and which is current.
    struct Contents: Codable {
        var format: Int
        var device: String
        var current: String
        var keys: [String: String]
        var epochs: [String: Int]
    }

    /// Eight groups of four hex digits of a BLAKE2b hash: short enough to read out, long enough
    /// that no one finds another key with the same one.
    static func fingerprint(_ bytes: [UInt8], sodium: Sodium) -> String {
        let h = sodium.hash(bytes, count: 16)
        return stride(from: 0, to: 16, by: 2).map { i in String(format: "%02x%02x", h[i], h[i + 1]) }.joined(separator: "-")
    }

    public static func fingerprint(publicKey: [UInt8], sodium: Sodium) -> String {
        fingerprint(Array("caseload device key ".utf8) + publicKey, sodium: sodium)
    }

    /// The current team key's fingerprint (of its id and bytes: the key itself is not derivable from it).
    public static func fingerprint(of keyring: Keyring, sodium: Sodium) -> String {
        fingerprint(Array("caseload team key \(keyring.current) ".utf8) + keyring.currentKey, sodium: sodium)
    }

    /// Whether a fingerprint typed by a user is this one (case, spaces and dashes aside).
    public static func matches(_ typed: String, _ fingerprint: String) -> Bool {
        func norm(_ s: String) -> String { s.lowercased().filter { $0.isHexDigit } }
        return !norm(typed).isEmpty && norm(typed) == norm(fingerprint)
    }

    /// Every team key epoch of `keyring`, sealed to the requesting device.
    public static func grant(_ keyring: Keyring, epochs: [String: Int], to request: Request, sodium: Sodium) -> Grant {
        let data = keyring.dataKeys
        let contents = Contents(format: 1, device: request.device.uuidString.lowercased(), current: keyring.current,
                                keys: data.mapValues { Data($0).base64EncodedString() },
                                epochs: data.keys.reduce(into: [:]) { $0[$1] = epochs[$1] ?? 1 })
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let plain = Array(try! encoder.encode(contents))
        return Grant(device: request.device, box: sodium.sealBox(plain, to: request.publicKey))
    }

    /// The keys of a grant sealed to this device, or nil (sealed to another device, changed, or
    /// not a grant): as a keyring whose current key is the team's, with the epochs.
    public static func open(_ grant: Grant, device: UUID, publicKey: [UInt8], secretKey: [UInt8], sodium: Sodium) -> (Keyring, [String: Int])? {
        guard grant.device == device, let plain = sodium.openBox(grant.box, publicKey: publicKey, secretKey: secretKey),
              let c = try? JSONDecoder().decode(Contents.self, from: Data(plain)), c.format == 1,
              c.device == device.uuidString.lowercased(), c.keys[Keyring.deviceSecretId] == nil else { return nil }
        var keys: [String: [UInt8]] = [:]
        for (id, b64) in c.keys {
            guard let k = Data(base64Encoded: b64), k.count == Sodium.keyBytes, id.utf8.count <= 64 else { return nil }
            keys[id] = Array(k)
        }
        guard keys[c.current] != nil else { return nil }
        return (Keyring(keys: keys, current: c.current), c.epochs)
    }
}
