import Foundation
import CaseloadCore

/// One key per person, for the personal part of every record about them (`EventSealer`), and
/// the people whose key was destroyed by an erasure. Erasing a person removes their key here,
/// and since the journal never held it (records hold only what it sealed), nothing left on the
/// device opens their personal fields again. Kept in `person-keys.sealed`, the one file that is
/// rewritten rather than appended to; sync carries it sealed under the team key, and every
/// device that folds the erasure drops the key too (`PersonKeyFile`).
///
/// Shared between the store (which seals and opens records) and sync (which merges copies from
/// other devices), on one thread at a time in practice; the lock makes that a rule.
public final class PersonKeys: @unchecked Sendable {
    public enum Lookup: Equatable {
        case key([UInt8])
        /// Destroyed by an erasure: the record opens to its redacted form.
        case erased
        /// Not held here (yet): the record cannot be opened, like one under an unknown team key.
        case unknown
    }

    private let lock = NSLock()
    private var keys: [UUID: [UInt8]]
    private var erasedIds: Set<UUID>
    /// Changed since the last `encoded()`: the file must be written before any record sealed with
    /// a key made since (else a crash leaves records no key opens).
    public private(set) var isDirty = false

    public init(keys: [UUID: [UInt8]] = [:], erased: Set<UUID> = []) {
        self.keys = keys.filter { !erased.contains($0.key) }
        erasedIds = erased
    }

    public func lookup(_ person: UUID) -> Lookup {
        lock.lock(); defer { lock.unlock() }
        if let k = keys[person] { return .key(k) }
        return erasedIds.contains(person) ? .erased : .unknown
    }

    /// The person's key for sealing, made now if they have none; nil once they are erased.
    public func sealingKey(_ person: UUID, sodium: Sodium) -> [UInt8]? {
        lock.lock(); defer { lock.unlock() }
        if erasedIds.contains(person) { return nil }
        if let k = keys[person] { return k }
        let k = sodium.randomBytes(Sodium.keyBytes)
        keys[person] = k
        isDirty = true
        return k
    }

    /// Destroys the person's key; true if one was held or the erasure was not known yet.
    @discardableResult
    public func erase(_ person: UUID) -> Bool {
        lock.lock(); defer { lock.unlock() }
        let changed = keys.removeValue(forKey: person) != nil || !erasedIds.contains(person)
        erasedIds.insert(person)
        if changed { isDirty = true }
        return changed
    }

    public var erased: Set<UUID> { lock.lock(); defer { lock.unlock() }; return erasedIds }
    public var count: Int { lock.lock(); defer { lock.unlock() }; return keys.count }

    /// Takes in another device's copy: its keys for people not erased here, and its erasures
    /// of people whose key this device does not hold (so their records open redacted, not as
    /// damage). A key held here is destroyed only by an erasure folded here (`PersonKeyFile`):
    /// a forged copy marking everyone erased destroys nothing. True when anything changed.
    @discardableResult
    public func merge(_ other: PersonKeys) -> Bool {
        let (theirs, theirErased) = other.contents()
        lock.lock(); defer { lock.unlock() }
        var changed = false
        for id in theirErased where !erasedIds.contains(id) && keys[id] == nil {
            erasedIds.insert(id)
            changed = true
        }
        for (id, k) in theirs where keys[id] == nil && !erasedIds.contains(id) {
            keys[id] = k
            changed = true
        }
        if changed { isDirty = true }
        return changed
    }

    func contents() -> ([UUID: [UInt8]], Set<UUID>) {
        lock.lock(); defer { lock.unlock() }
        return (keys, erasedIds)
    }

    // MARK: - Bytes

    static let magic = Array("caseload person keys 1\n".utf8)
    /// What the sealed file binds its contents to.
    public static let fileContext = Array("caseload person keys".utf8)

    /// What `encoded` gave was written: clears `isDirty`.
    public func markSaved() {
        lock.lock(); defer { lock.unlock() }
        isDirty = false
    }

    /// magic | u32 key count | (16-byte id, 32-byte key)… | u32 erased count | 16-byte id…
    public func encoded() -> [UInt8] {
        lock.lock(); defer { lock.unlock() }
        var out = PersonKeys.magic
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out += $0 } }
        func id(_ u: UUID) { withUnsafeBytes(of: u.uuid) { out += $0 } }
        u32(keys.count)
        for k in keys.keys.sorted(by: { $0.sortsBefore($1) }) { id(k); out += keys[k]! }
        u32(erasedIds.count)
        for e in erasedIds.sorted(by: { $0.sortsBefore($1) }) { id(e) }
        return out
    }

    /// The keys `encoded` wrote, or nil for anything else (a damaged or forged file is refused
    /// whole, never half-read).
    public static func decode(_ bytes: [UInt8]) -> PersonKeys? {
        guard bytes.count >= magic.count + 8, Array(bytes[0..<magic.count]) == magic else { return nil }
        var i = magic.count
        func u32() -> Int? {
            guard i + 4 <= bytes.count else { return nil }
            let v = Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24
            i += 4
            return v
        }
        func id() -> UUID? {
            guard i + 16 <= bytes.count else { return nil }
            let b = Array(bytes[i..<(i + 16)])
            i += 16
            return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
        }
        guard let n = u32(), n <= (bytes.count - i) / 48 else { return nil }
        var keys: [UUID: [UInt8]] = [:]
        for _ in 0..<n {
            guard let u = id(), i + Sodium.keyBytes <= bytes.count else { return nil }
            keys[u] = Array(bytes[i..<(i + Sodium.keyBytes)])
            i += Sodium.keyBytes
        }
        guard let m = u32(), m <= (bytes.count - i) / 16 else { return nil }
        var erased = Set<UUID>()
        for _ in 0..<m {
            guard let u = id() else { return nil }
            erased.insert(u)
        }
        guard i == bytes.count else { return nil }
        return PersonKeys(keys: keys, erased: erased)
    }
}
