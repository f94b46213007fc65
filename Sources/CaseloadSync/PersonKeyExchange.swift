import Foundation
import CaseloadCore
import CaseloadCrypto
import CaseloadJournal

/// Where each device leaves its sealed copy of the person keys (`PersonKeys`): a file per device
/// in a sync folder, a row per device on the server. Copies are sealed under the team key, so
/// the folder and the server hold no usable key.
protocol PersonKeyCopies {
    /// Every device's copy but ours.
    func others(than device: UUID) throws -> [(device: UUID, bytes: Data)]
    /// Writes (replaces whole) the copy of `device`: ours, or another's being scrubbed.
    func write(_ bytes: Data, device: UUID) throws
}

/// The person keys exchanged on every sync, before any event moves: colleagues' new people's
/// keys come in, so their records open; erasures come in as destroyed keys, so nothing of the
/// person opens here even before the erasure event is folded; our copy goes out; and any copy
/// still holding the key of someone erased (a device that has not synced since) is rewritten
/// without it, so after one sync by the erasing device no copy in the folder or on the server
/// holds the key. Keys before events, on both sides: any record another device reads after our
/// copy was written has its key in that copy. Run again after the events (`afterEvents`): an
/// erasure that came in has destroyed a key here, and our copy must lose it too.
enum PersonKeyExchange {
    /// Returns how many people this device knows as erased, for `afterEvents`.
    @discardableResult
    static func run(_ store: CaseloadStore, _ copies: PersonKeyCopies, _ report: inout SyncReport) throws -> Int {
        guard let sealer = store.codec.sealer else { return 0 }
        let mine = sealer.personKeys
        var theirs: [(device: UUID, keys: PersonKeys)] = []
        for copy in try copies.others(than: store.device) {
            guard let keys = PersonKeyFile.open(copy.bytes, sealer: sealer) else {
                let problem = "the person keys of device \(copy.device.lowercasedString) do not open with this caseload's key (damaged, forged or another caseload's): skipped"
                if !report.problems.contains(problem) { report.problems.append(problem) }
                continue
            }
            mine.merge(keys)
            theirs.append((copy.device, keys))
        }
        if mine.isDirty { try PersonKeyFile.save(mine, in: store.dataDirectory, sealer: sealer) }
        try copies.write(PersonKeyFile.sealed(mine, sealer: sealer), device: store.device)
        for other in theirs where !other.keys.holdsNoKeyOf(mine.erased) {
            try copies.write(PersonKeyFile.sealed(other.keys.without(mine.erased), sealer: sealer), device: other.device)
        }
        return mine.erased.count
    }

    /// After the events moved: when an erasure that came in destroyed a key here, the exchange
    /// again, so no copy (ours first) keeps it until the next sync.
    static func afterEvents(_ store: CaseloadStore, _ copies: PersonKeyCopies, erasedBefore: Int, _ report: inout SyncReport) throws {
        guard let sealer = store.codec.sealer, sealer.personKeys.erased.count != erasedBefore else { return }
        try run(store, copies, &report)
    }
}

extension PersonKeys {
    func holdsNoKeyOf(_ erased: Set<UUID>) -> Bool {
        erased.allSatisfy { if case .key = lookup($0) { return false } else { return true } }
    }

    /// A copy of these keys with those of `erased` destroyed and marked so.
    func without(_ erased: Set<UUID>) -> PersonKeys {
        let copy = PersonKeys()
        copy.merge(self)
        for id in erased { copy.erase(id) }
        return copy
    }
}

/// `<folder>/<device>.person-keys`.
struct FolderPersonKeys: PersonKeyCopies {
    let folder: URL
    static let suffix = ".person-keys"
    /// 50,000 people's keys are 2.4 MB; anything far larger is not a copy.
    static let maxSize = 64 << 20

    func others(than device: UUID) throws -> [(device: UUID, bytes: Data)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            guard name.hasSuffix(Self.suffix), let d = UUID(uuidString: String(name.dropLast(Self.suffix.count))), d != device,
                  name == d.lowercasedString + Self.suffix else { return nil }
            let path = folder.appendingPathComponent(name).path
            guard let size = FolderSync.regularFileSize(path), size <= Self.maxSize, let bytes = FileManager.default.contents(atPath: path) else { return nil }
            return (d, bytes)
        }
    }

    func write(_ bytes: Data, device: UUID) throws {
        let path = folder.appendingPathComponent(device.lowercasedString + Self.suffix).path
        do { try PrivateFile.save(bytes, to: path) } catch { throw SyncError.folder("cannot write \(path): \(error); nothing more was sent") }
    }
}

/// `caseload.person_keys`: one row per device, the sealed copy as base64.
struct ServerPersonKeys: PersonKeyCopies {
    let db: PostgresConnection
    let device: UUID
    let workerId: String
    let team: String

    func others(than device: UUID) throws -> [(device: UUID, bytes: Data)] {
        let r = try db.query("SELECT device, sealed FROM caseload.person_keys WHERE device <> $1 ORDER BY device", [device.lowercasedString])
        return (0..<r.count).compactMap { row in
            guard let d = r.string(row, 0).flatMap(UUID.init(uuidString:)), let text = r.string(row, 1),
                  text.utf8.count <= FolderPersonKeys.maxSize, let bytes = Data(base64Encoded: text) else { return nil }
            return (d, bytes)
        }
    }

    func write(_ bytes: Data, device: UUID) throws {
        guard device == self.device else {
            // Another device's copy, scrubbed of an erased person's key (the policy lets a team
            // member rewrite the team's copies, never insert one for a device not theirs).
            try db.query("UPDATE caseload.person_keys SET sealed = $2, updated_at = now() WHERE device = $1",
                         [device.lowercasedString, bytes.base64EncodedString()])
            return
        }
        try db.query("""
            INSERT INTO caseload.person_keys (device, worker_id, team, sealed) VALUES ($1, $2, $3, $4)
            ON CONFLICT (device) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = now()
            """, [device.lowercasedString, workerId, team, bytes.base64EncodedString()])
    }
}
