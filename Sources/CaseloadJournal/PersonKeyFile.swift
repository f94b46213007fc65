import Foundation
import CaseloadCore
import CaseloadCrypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `<data>/person-keys.sealed` (0600): the caseload's `PersonKeys`, sealed whole under the team
/// key. Unlike the journal it is replaced, not appended to: erasing a person rewrites it
/// without their key, and that is what makes their personal fields unrecoverable here. Written
/// (fsynced, renamed, folder fsynced) before any record sealed with a key it adds.
public enum PersonKeyFile {
    public static let name = "person-keys.sealed"

    public static func path(in dir: URL) -> String { dir.appendingPathComponent(name).path }

    /// The keys, or none yet (a caseload encrypted before people had keys, or a new one).
    /// One that does not open is refused: writing on would lose every key it holds.
    public static func load(in dir: URL, sealer: EventSealer) throws -> PersonKeys {
        let path = path(in: dir)
        guard let data = FileManager.default.contents(atPath: path) else { return PersonKeys() }
        guard let keys = open(data, sealer: sealer) else {
            throw StoreError.invalid("\(path) does not open with this caseload's key (damaged, or from another caseload): restore it from a backup; nothing was changed")
        }
        return keys
    }

    /// The keys a sealed copy holds (this device's file, or another device's copy in a sync folder
    /// or on the server), or nil when it does not open: hostile or damaged bytes are not read.
    public static func open(_ bytes: Data, sealer: EventSealer) -> PersonKeys? {
        bytes.withUnsafeBytes { sealer.openFile($0, context: PersonKeys.fileContext) }.flatMap(PersonKeys.decode)
    }

    /// `keys` sealed for writing anywhere (this file, a sync copy).
    public static func sealed(_ keys: PersonKeys, sealer: EventSealer) -> Data {
        Data(keys.encoded().withUnsafeBytes { sealer.sealFile($0, context: PersonKeys.fileContext) })
    }

    public static func save(_ keys: PersonKeys, in dir: URL, sealer: EventSealer) throws {
        let bytes = sealed(keys, sealer: sealer)
        let path = path(in: dir)
        do {
            try PrivateFile.save(bytes, to: path)
            try JournalFile.syncDirectory(of: path)
        } catch {
            throw StoreError.notWritable(path, "\(error)")
        }
        keys.markSaved()
    }
}

extension CaseloadStore {
    /// Writes the person keys if a record about to be written uses a key made for it.
    func savePersonKeysIfChanged() throws {
        guard let sealer = codec.sealer, sealer.personKeys.isDirty else { return }
        try PersonKeyFile.save(sealer.personKeys, in: dataDirectory, sealer: sealer)
    }

    /// After an erasure is folded (written here or received by sync), and on every open (a crash
    /// may come between the two): the keys of every erased person destroyed, the key file
    /// rewritten without them, and the snapshot, folded when they were still readable, replaced.
    func destroyKeysOfErasedPeople() throws {
        guard mode == .readWrite, let sealer = codec.sealer else { return }
        // Not while a snapshot is being sealed on another core: its keys are about to change.
        finishSnapshotInFlight()
        var destroyed = false
        for p in state.patients.values where p.erasure != nil {
            for id in state.recordIds(of: p.id) where sealer.personKeys.erase(id) { destroyed = true }
        }
        guard destroyed else { return }
        try PersonKeyFile.save(sealer.personKeys, in: dataDirectory, sealer: sealer)
        _ = unlink(dataDirectory.appendingPathComponent(SnapshotFile.sealedName).path)
        _ = unlink(dataDirectory.appendingPathComponent(SnapshotFile.name).path)
        refreshSnapshot()
    }
}
