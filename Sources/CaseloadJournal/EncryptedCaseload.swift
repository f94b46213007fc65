import Foundation
import CaseloadCore
import CaseloadCrypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        let sealer = EventSealer(sodium: sodium, keyring: keyring)
        // The person keys are sealed under the team key, so they open only now.
        return EventCodec(sealer: EventSealer(sodium: sodium, keyring: keyring, personKeys: try PersonKeyFile.load(in: dir, sealer: sealer)))
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

/// `caseload encrypt`: a plain caseload turned into an encrypted one, every event kept.
public struct EncryptionConversion: Sendable {
    /// Events sealed, over all journals.
    public var events: Int
    /// Where the plain journals (and the plain snapshot) were moved: the user deletes it once
    /// the caseload opens with the passphrase.
    public var plainCopy: URL

    /// Seals every journal into `journal.sealing/` (each record re-written sealed, same device,
    /// seq and id, fsynced), writes `keys.json`, then swaps the folders. Refuses a journal with
    /// damage or an unreadable record (`caseload verify` says which), so nothing is dropped.
    public static func run(_ dir: URL, passphrase: [UInt8], now: Int64) throws -> EncryptionConversion {
        guard !EncryptedCaseload.isEncrypted(dir) else { throw StoreError.invalid("the caseload in \(dir.path) is already encrypted; nothing was changed") }
        let keys = try EncryptedCaseload.newKeys(passphrase: passphrase)
        // Open for writing: takes the lock (no other caseload process writes meanwhile) and
        // finishes any recovery first.
        let store = try CaseloadStore.open(dataDirectory: dir)
        var closed = false
        defer { if !closed { store.close() } }
        let journals = DataDirectory.journalDirectory(dir)
        let sealing = dir.appendingPathComponent("journal.sealing")
        try? FileManager.default.removeItem(at: sealing)
        try DataDirectory.makePrivateDirectory(sealing)
        var total = 0
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: journals.path)) ?? []).filter { $0.hasSuffix(".journal") }.sorted()
        for name in names {
            let scan = try JournalFile.read(path: journals.appendingPathComponent(name).path)
            guard let header = scan.header, scan.damage.isEmpty, scan.interruptedBatch == nil else {
                throw StoreError.invalid("journal/\(name) has damage; run `caseload verify` and keep a copy before encrypting; nothing was changed")
            }
            var payloads: [Data] = []
            for record in scan.records {
                guard let e = try? Event.decode(record.payload) else {
                    throw StoreError.invalid("journal/\(name) has a record that is not a readable event (see `caseload verify`); nothing was changed")
                }
                // Each record about a person gets its personal part under that person's key
                // (the folded state knows whose every record is), so erasure works on them too.
                payloads.append(keys.codec.copyPayload(for: e, person: store.state.subjects(of: [e.body])[0]))
            }
            let file = try JournalFile(path: sealing.appendingPathComponent(name).path, device: header.device)
            if !payloads.isEmpty { try file.append(payloads) }
            file.close()
            total += payloads.count
        }
        try JournalFile.syncDirectory(of: sealing.appendingPathComponent("x").path)
        if let sealer = keys.codec.sealer { try PersonKeyFile.save(sealer.personKeys, in: dir, sealer: sealer) }
        // From here an open reads plain and sealed records alike, so a crash leaves a caseload
        // that opens with the passphrase whichever folder is in place.
        do { try keys.keyFile.save(in: dir) } catch { throw StoreError.notWritable(KeyFile.path(in: dir), "\(error)") }
        let plain = dir.appendingPathComponent("plain-before-encryption-\(now)")
        try DataDirectory.makePrivateDirectory(plain)
        // Every cache of the plain state goes with the plain copy: followups.idx holds names.
        for side in [SnapshotFile.name, FollowupIndexFile.name, "editing"] where FileManager.default.fileExists(atPath: dir.appendingPathComponent(side).path) {
            try FileManager.default.moveItem(at: dir.appendingPathComponent(side), to: plain.appendingPathComponent(side))
        }
        guard rename(journals.path, plain.appendingPathComponent("journal").path) == 0,
              rename(sealing.path, journals.path) == 0 else {
            throw StoreError.notWritable(journals.path, String(cString: strerror(errno)))
        }
        try JournalFile.syncDirectory(of: journals.path)
        store.close()
        closed = true
        // Closing may have saved a plain snapshot: it goes with the plain copy.
        let snapshot = dir.appendingPathComponent(SnapshotFile.name)
        if FileManager.default.fileExists(atPath: snapshot.path) {
            try? FileManager.default.removeItem(at: plain.appendingPathComponent(SnapshotFile.name))
            try FileManager.default.moveItem(at: snapshot, to: plain.appendingPathComponent(SnapshotFile.name))
        }
        return EncryptionConversion(events: total, plainCopy: plain)
    }
}
