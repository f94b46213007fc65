import Foundation
import CaseloadCore
import CaseloadCrypto
#if canImport(Glibc)
import Glibc
#endif

/// A forked device: this data folder and another copy of it (a journal restored from a backup,
/// a data folder copied to a second computer) both wrote events under the same device id and
/// seq. Others would take one branch and skip the other as duplicates, so the branch here
/// continues under a new device id, and nothing of either branch is lost:
///
///     journal/<new>.journal     this device from now on: copies of our branch (same ids) first
///     journal/<old>.journal     the old device's events up to the fork, then as others have them
///     forked/<old>-<ms>.journal our old journal as it was, kept whole (not folded)
public struct DeviceFork: Sendable, Equatable {
    public var oldDevice: UUID
    public var newDevice: UUID
    /// The first seq the branches disagree on.
    public var firstSeq: UInt64
    /// Our events from `firstSeq` on, now also under `newDevice`.
    public var copied: Int

    /// One line for the user.
    public var message: String {
        "this device's journal had forked from a copy of it elsewhere (restored from a backup, or the data folder copied to another computer): "
            + "both branches are kept, and this device now continues as device \(newDevice.lowercasedString) (\(copied) event(s) from seq \(firstSeq) sent again under it)"
    }
}

extension CaseloadStore {
    /// Continues under a new device id after a fork at `firstSeq` (see `DeviceFork`). Every
    /// step is written and fsynced before the next; the config changes only once the new
    /// journal holds our branch, and a crash before the last renames is finished on next open.
    public func continueAsNewDevice(forkedAt firstSeq: UInt64) throws -> DeviceFork {
        guard let journal, firstSeq >= 1 else { throw StoreError.invalid("this caseload was opened read-only") }
        let old = device
        var prefix: [Data] = []
        var branch: [Event] = []
        let cursor = try JournalCursor(path: journalPath, from: JournalFormat.headerSize)
        while try cursor.next() {
            guard let e = try? cursor.withPayload({ try codec.event(from: $0) }), e.device == old else { continue }
            if e.seq < firstSeq { prefix.append(cursor.withPayload { Data($0) }) } else { branch.append(e) }
        }
        let new = UUID.random()
        let dir = DataDirectory.journalDirectory(dataDirectory)
        let newFile = try JournalFile(path: DataDirectory.journalPath(dataDirectory, device: new), device: new)
        let copies = branch.enumerated().map { i, e in
            Event(id: e.id, device: new, seq: UInt64(i + 1), clock: e.clock, author: e.author, body: e.body)
        }
        let subjects = state.subjects(of: copies.map(\.body))
        let payloads = copies.enumerated().map { i, e in codec.copyPayload(for: e, person: subjects[i]) }
        try savePersonKeysIfChanged()
        try newFile.append(payloads)
        let prefixPath = dir.appendingPathComponent("\(old.lowercasedString)\(Self.forkPrefixSuffix)").path
        unlink(prefixPath)
        let prefixFile = try JournalFile(path: prefixPath, device: old)
        if !prefix.isEmpty { try prefixFile.append(prefix) }
        prefixFile.close()
        try DataDirectory.writeConfig(DataDirectory.Config(formatVersion: 1, device: new, workerId: workerId), in: dataDirectory)
        journal.close()
        self.journal = newFile
        device = new
        try Self.finishForks(dataDirectory, now: now())
        finishSnapshotInFlight()
        try? FileManager.default.removeItem(at: dataDirectory.appendingPathComponent(SnapshotFile.name))
        try? FileManager.default.removeItem(at: dataDirectory.appendingPathComponent(SnapshotFile.sealedName))
        replicaFiles[old]?.close()
        replicaFiles[old] = nil
        lastSeq = UInt64(copies.count)
        try load()
        return DeviceFork(oldDevice: old, newDevice: new, firstSeq: firstSeq, copied: copies.count)
    }

    static let forkPrefixSuffix = ".fork-prefix"

    /// Puts each `<old>.fork-prefix` in place of `<old>.journal`, which goes to `forked/`
    /// whole. Run after the config names the new device, and on open (a crash in between).
    static func finishForks(_ dataDirectory: URL, now: Int64) throws {
        let dir = DataDirectory.journalDirectory(dataDirectory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        for name in names where name.hasSuffix(forkPrefixSuffix) {
            let old = String(name.dropLast(forkPrefixSuffix.count))
            let aside = dataDirectory.appendingPathComponent("forked")
            try DataDirectory.makePrivateDirectory(aside)
            let current = dir.appendingPathComponent("\(old).journal").path
            if FileManager.default.fileExists(atPath: current) {
                guard rename(current, aside.appendingPathComponent("\(old)-\(now).journal").path) == 0 else {
                    throw StoreError.notWritable(current, String(cString: strerror(errno)))
                }
            }
            guard rename(dir.appendingPathComponent(name).path, current) == 0 else {
                throw StoreError.notWritable(current, String(cString: strerror(errno)))
            }
            try JournalFile.syncDirectory(of: current)
            try JournalFile.syncDirectory(of: aside.appendingPathComponent("x").path)
        }
    }
}
