import Foundation

/// What this device remembers about its syncs, in `<data dir>/sync.json` (0600): the last one
/// (for "last sync 14:02 · 3 waiting") and, per folder, what it already exchanged there, so a
/// re-sync with nothing new only looks at file sizes.
public struct SyncRecord: Codable, Sendable, Equatable {
    public struct Last: Codable, Sendable, Equatable {
        /// "folder" or "postgres".
        public var target: String
        /// The folder path or server (without password) to sync with again.
        public var place: String
        /// Milliseconds since 1970.
        public var at: Int64
        public var sent: Int
        public var received: Int
        public var devices: Int
        /// Our own events up to this seq are at that target: the rest are "waiting".
        public var pushedSeq: UInt64
        public init(target: String, place: String, at: Int64, sent: Int, received: Int, devices: Int, pushedSeq: UInt64) {
            self.target = target; self.place = place; self.at = at; self.sent = sent
            self.received = received; self.devices = devices; self.pushedSeq = pushedSeq
        }
    }

    /// A folder's files as last seen: a file whose size has not changed has nothing new.
    public struct FolderState: Codable, Sendable, Equatable {
        /// Per device id (lowercase): the file size fully taken in.
        public var sizes: [String: Int] = [:]
        /// Per device id (lowercase): the seq held locally when that size was taken in. A
        /// journal restored from a backup holds less: the file is then read again.
        public var held: [String: UInt64]?
        /// Our own file there: its size and the last seq it holds.
        public var ownSize: Int = 0
        public var ownSeq: UInt64 = 0
        public init() {}
    }

    public var last: Last?
    public var folders: [String: FolderState] = [:]
    /// The PostgreSQL server (URL without a password) `caseload sync postgres` uses when no --url is given.
    public var postgresURL: String?
    /// Per worker id of the team: events their devices hold that the server refused, as the
    /// server said at our last sync (for the team view).
    public var notOnServer: [String: Int]?
    public init() {}

    public static let fileName = "sync.json"

    /// The record in `dataDirectory`, or an empty one if there is none or it cannot be read
    /// (it only saves work: losing it costs one full comparison on the next sync).
    public static func load(_ dataDirectory: URL) -> SyncRecord {
        guard let data = FileManager.default.contents(atPath: dataDirectory.appendingPathComponent(fileName).path),
              let record = try? JSONDecoder().decode(SyncRecord.self, from: data) else { return SyncRecord() }
        return record
    }

    /// Written to a temporary file, fsynced, then renamed over the old one: never half a file.
    public func save(_ dataDirectory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let url = dataDirectory.appendingPathComponent(Self.fileName)
        let temp = dataDirectory.appendingPathComponent(Self.fileName + ".tmp")
        try DataDirectory.writePrivateFile(temp, data: try encoder.encode(self))
        guard rename(temp.path, url.path) == 0 else { throw StoreError.notWritable(url.path, String(cString: strerror(errno))) }
        try JournalFile.syncDirectory(of: url.path)
    }

    /// The highest seq of our own events any sync target is known to hold.
    public var highestSentSeq: UInt64? {
        ([last?.pushedSeq].compactMap { $0 } + folders.values.map(\.ownSeq)).max()
    }

    /// Own events not yet at the last target (all of them if there was no sync yet).
    public func waiting(lastSeq: UInt64) -> Int {
        Int(lastSeq - min(lastSeq, last?.pushedSeq ?? 0))
    }
}
