import Foundation
import CaseloadCore
import CaseloadCrypto

/// A team's devices given the team key (`TeamKeys`; README, "A team's devices"): each step
/// unlocks `keys.json` with the passphrase first, and writes only `keys.json` (and the person
/// keys, sealed again under the new current key), whole, by rename. No record is rewritten.
public enum TeamKeyEnrollment {
    /// This device's request, and its fingerprint to read out. Makes the device's key pair the
    /// first time (its secret wrapped with the data keys under the passphrase).
    public static func request(_ dir: URL, passphrase: [UInt8]) throws -> (request: TeamKeys.Request, fingerprint: String) {
        let config = try DataDirectory.readConfig(dir)
        let sodium = try Sodium.load()
        var file = try KeyFile.read(in: dir)
        var keyring = try file.unlock(passphrase: passphrase, sodium: sodium)
        if file.devicePublicKey.flatMap({ Data(base64Encoded: $0) }) == nil || keyring.keys[Keyring.deviceSecretId] == nil {
            let pair = sodium.newBoxKeyPair()
            keyring.keys[Keyring.deviceSecretId] = pair.secretKey
            file = try file.rewrapped(keyring, passphrase: passphrase, sodium: sodium, epochs: [Keyring.deviceSecretId: 0],
                                      devicePublicKey: Data(pair.publicKey).base64EncodedString())
            try file.save(in: dir)
        }
        let publicKey = Array(Data(base64Encoded: file.devicePublicKey!)!)
        return (TeamKeys.Request(device: config.device, worker: config.workerId, publicKey: publicKey),
                TeamKeys.fingerprint(publicKey: publicKey, sodium: sodium))
    }

    /// A grant of every team key epoch to the device that made `request`, once the fingerprint
    /// its user read out matches; and the team key's fingerprint, for them to check.
    public static func grant(_ dir: URL, passphrase: [UInt8], request: TeamKeys.Request, fingerprint typed: String) throws -> (grant: TeamKeys.Grant, teamFingerprint: String) {
        let config = try DataDirectory.readConfig(dir)
        let sodium = try Sodium.load()
        let file = try KeyFile.read(in: dir)
        let keyring = try file.unlock(passphrase: passphrase, sodium: sodium)
        guard request.device != config.device else { throw StoreError.invalid("that request is this device's own; nothing was granted") }
        let expected = TeamKeys.fingerprint(publicKey: request.publicKey, sodium: sodium)
        guard TeamKeys.matches(typed, expected) else {
            // The expected value is not shown: copying it from here would defeat the check.
            throw StoreError.invalid("the fingerprint does not match the request's: the request may have been swapped on its way (ask for it again); nothing was granted")
        }
        return (TeamKeys.grant(keyring, epochs: file.epochs, to: request, sodium: sodium), TeamKeys.fingerprint(of: keyring, sodium: sodium))
    }

    /// Takes the team keys from a grant made for this device, once the team key's fingerprint
    /// read out by the granting colleague matches. Refused while this device's own journal holds
    /// records sealed under a key the team does not have: colleagues could never read them.
    /// Returns the team key's fingerprint.
    @discardableResult
    public static func accept(_ dir: URL, passphrase: [UInt8], grant: TeamKeys.Grant, fingerprint typed: String) throws -> String {
        let config = try DataDirectory.readConfig(dir)
        let sodium = try Sodium.load()
        let file = try KeyFile.read(in: dir)
        let own = try file.unlock(passphrase: passphrase, sodium: sodium)
        guard let secret = own.keys[Keyring.deviceSecretId], let pk = file.devicePublicKey.flatMap({ Data(base64Encoded: $0) }) else {
            throw StoreError.invalid("this device has made no key request (caseload team-key request); nothing was changed")
        }
        guard let (team, epochs) = TeamKeys.open(grant, device: config.device, publicKey: Array(pk), secretKey: secret, sodium: sodium) else {
            throw StoreError.invalid("that grant does not open on this device (made for another device's request, or changed on its way); nothing was changed")
        }
        let expected = TeamKeys.fingerprint(of: team, sodium: sodium)
        guard TeamKeys.matches(typed, expected) else {
            throw StoreError.invalid("the team key's fingerprint does not match the grant's: it may not be your team's key (ask for the grant again); nothing was changed")
        }
        let unshared = try sealedKeyIds(ofOwnJournal: dir, device: config.device).subtracting(team.keys.keys)
        if !unshared.isEmpty {
            throw StoreError.invalid("this device already sealed records under its own key, which the team does not hold: join a team before recording on a new device (or keep this caseload on its own); nothing was changed")
        }
        var merged = own
        for (id, key) in team.keys { merged.keys[id] = key }
        var allEpochs = file.epochs.merging(epochs) { max($0, $1) }
        // The team's current key becomes ours, unless ours is a later epoch of the same team
        // (an old grant accepted late never winds a rotation back).
        let ownIsLaterTeamKey = team.keys[own.current] != nil && (allEpochs[own.current] ?? 1) > (allEpochs[team.current] ?? 1)
        merged.current = ownIsLaterTeamKey ? own.current : team.current
        allEpochs[Keyring.deviceSecretId] = 0
        try replaceKeys(dir, file: file, old: own, new: merged, epochs: allEpochs, passphrase: passphrase, sodium: sodium)
        return expected
    }

    /// A worker left: a new team key epoch becomes current on this device. Nothing written from
    /// now on opens with the keys the leaver's devices hold; grant it (team-key grant) to every
    /// remaining device. Returns its fingerprint.
    public static func rotate(_ dir: URL, passphrase: [UInt8]) throws -> String {
        let sodium = try Sodium.load()
        let file = try KeyFile.read(in: dir)
        let own = try file.unlock(passphrase: passphrase, sodium: sodium)
        var next = own
        let id = sodium.randomBytes(8).map { String(format: "%02x", $0) }.joined()
        next.keys[id] = sodium.randomBytes(Sodium.keyBytes)
        next.current = id
        var epochs = file.epochs
        epochs[id] = (file.keys.map(\.epoch).max() ?? 1) + 1
        try replaceKeys(dir, file: file, old: own, new: next, epochs: epochs, passphrase: passphrase, sodium: sodium)
        return TeamKeys.fingerprint(of: next, sodium: sodium)
    }

    /// `keys.json` rewritten with `new`, and the person keys sealed again under its current key
    /// (first, so a crash between leaves keys.json able to open both).
    static func replaceKeys(_ dir: URL, file: KeyFile, old: Keyring, new: Keyring, epochs: [String: Int], passphrase: [UInt8], sodium: Sodium) throws {
        let oldSealer = EventSealer(sodium: sodium, keyring: old)
        let personKeys = try PersonKeyFile.load(in: dir, sealer: oldSealer)
        let rewritten = try file.rewrapped(new, passphrase: passphrase, sodium: sodium, epochs: epochs)
        try rewritten.save(in: dir)
        if FileManager.default.fileExists(atPath: PersonKeyFile.path(in: dir)) {
            try PersonKeyFile.save(personKeys, in: dir, sealer: EventSealer(sodium: sodium, keyring: new))
        }
    }

    /// The key ids this device's journal sealed records under.
    static func sealedKeyIds(ofOwnJournal dir: URL, device: UUID) throws -> Set<String> {
        let path = DataDirectory.journalPath(dir, device: device)
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        var ids = Set<String>()
        let cursor = try JournalCursor(path: path, from: JournalFormat.headerSize)
        while try cursor.next() {
            if let sealed = try? cursor.withPayload({ try EventEnvelope.decode(bytes: $0).sealed }), let colon = sealed.firstIndex(of: ":") {
                ids.insert(String(sealed[..<colon]))
            }
        }
        return ids
    }
}
