import Foundation
import CaseloadCore
import CaseloadCrypto
#if canImport(Glibc)
import Glibc
#endif

/// Where a user's caseload lives, and its small config file:
///
///     <dir>/caseload.json              this device's id and the worker who uses it (0600)
///     <dir>/journal/<device>.journal   this device's events (0600); other devices' files beside it
///     <dir>/snapshot.bin               a cache of the folded state (0600); safe to delete
///     <dir>/followups.idx              a cache of the open follow-ups for `overdue` (0600); safe to delete
///     <dir>/view.json                  the app's list filter and sort from the last run (no personal data)
///     <dir>/keys.json                  when encrypted: the data keys, wrapped by the passphrase (see `KeyFile`)
///     <dir>/forked/<device>-<ms>.journal  a journal set aside whole when this device forked (see `DeviceFork`)
///
/// Everything is private to the user: the directory is 0700 and files are 0600.
public enum DataDirectory {
    public struct Config: Codable, Sendable, Equatable {
        public var formatVersion: Int
        public var device: UUID
        public var workerId: String
    }

    public static let configName = "caseload.json"

    /// `--data-dir`, else `$CASELOAD_DATA_DIR`, else `$XDG_DATA_HOME/caseload`, else `~/.local/share/caseload`.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit, !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if let env = environment["CASELOAD_DATA_DIR"], !env.isEmpty { return URL(fileURLWithPath: env) }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg).appendingPathComponent("caseload") }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/share/caseload")
    }

    public static func isInitialized(_ dir: URL) -> Bool {
        FileManager.default.fileExists(atPath: dir.appendingPathComponent(configName).path)
    }

    public static func journalDirectory(_ dir: URL) -> URL { dir.appendingPathComponent("journal") }

    public static func journalPath(_ dir: URL, device: UUID) -> String {
        journalDirectory(dir).appendingPathComponent("\(device.lowercasedString).journal").path
    }

    public static func readConfig(_ dir: URL) throws -> Config {
        let url = dir.appendingPathComponent(configName)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw StoreError.notInitialized(dir.path) }
        do { return try JSONDecoder().decode(Config.self, from: data) } catch { throw StoreError.badConfig(url.path) }
    }

    /// First run: a device id, the worker's registration event, and the private folders.
    /// Same as `caseload init`. Refuses to re-initialise an existing caseload.
    @discardableResult
    /// With `encryption` (a key file and its unlocked codec), the key file is written before
    /// the config, so the caseload never exists unencrypted.
    public static func initialize(at dir: URL, workerName: String, team: String?, role: String? = nil,
                                  device: UUID = UUID(), encryption: (keyFile: KeyFile, codec: EventCodec)? = nil) throws -> CaseloadStore {
        let name = workerName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw StoreError.invalid("the worker's name is empty") }
        if isInitialized(dir) { throw StoreError.alreadyInitialized(dir.path) }
        try makePrivateDirectory(dir)
        try makePrivateDirectory(journalDirectory(dir))
        if let encryption {
            do { try encryption.keyFile.save(in: dir) } catch { throw StoreError.notWritable(KeyFile.path(in: dir), "\(error)") }
        }
        let config = Config(formatVersion: 1, device: device, workerId: workerSlug(name))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writePrivateFile(dir.appendingPathComponent(configName), data: try encoder.encode(config))
        let store = try CaseloadStore.open(dataDirectory: dir, codec: encryption?.codec ?? .plain)
        let trimmedTeam = team?.trimmingCharacters(in: .whitespaces)
        try store.append([.workerRegistered(WorkerRegistered(workerId: config.workerId, name: name,
                                                             team: trimmedTeam?.isEmpty == false ? trimmedTeam : nil, role: role))])
        return store
    }

    /// "Amira Khan" → "amira-khan": a readable, stable id for a worker.
    public static func workerSlug(_ name: String) -> String {
        let folded = SearchText.fold(name)
        var slug = ""
        for scalar in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) { slug.unicodeScalars.append(scalar) }
            else if !slug.isEmpty, slug.last != "-" { slug.append("-") }
        }
        while slug.last == "-" { slug.removeLast() }
        return slug.isEmpty ? "worker" : slug
    }

    static func makePrivateDirectory(_ url: URL) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw StoreError.notWritable(url.path, "it is a file, not a folder") }
            try checkWritable(url)
            return
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.notWritable(url.path, "the folder cannot be created")
        }
    }

    /// Honour the permission bits even for root, so a read-only folder is never written.
    static func checkWritable(_ url: URL) throws {
        var st = stat()
        guard stat(url.path, &st) == 0 else { throw StoreError.notWritable(url.path, "it cannot be read") }
        if st.st_mode & S_IWUSR == 0 || access(url.path, W_OK) != 0 {
            throw StoreError.notWritable(url.path, "it is read-only")
        }
    }

    /// Replaces `caseload.json` whole: written beside it, fsynced, then renamed over it.
    static func writeConfig(_ config: Config, in dir: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = dir.appendingPathComponent(configName)
        let temp = dir.appendingPathComponent(configName + ".tmp")
        try writePrivateFile(temp, data: try encoder.encode(config))
        guard rename(temp.path, url.path) == 0 else { throw StoreError.notWritable(url.path, String(cString: strerror(errno))) }
        try JournalFile.syncDirectory(of: url.path)
    }

    static func writePrivateFile(_ url: URL, data: Data) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.notWritable(url.path, String(cString: strerror(errno))) }
        defer { closeDescriptor(fd) }
        _ = fchmod(fd, 0o600)
        let ok = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) == $0.count }
        guard ok, fsync(fd) == 0 else { throw StoreError.notWritable(url.path, String(cString: strerror(errno))) }
        try JournalFile.syncDirectory(of: url.path)
    }
}

public enum StoreError: Error, Equatable, CustomStringConvertible {
    case notInitialized(String)
    case alreadyInitialized(String)
    case badConfig(String)
    case notWritable(String, String)
    case invalid(String)
    /// Encrypted, and opened without its keys.
    case locked(String)

    public var description: String {
        switch self {
        case .notInitialized(let p): return "no caseload in \(p) yet; run `caseload init --worker NAME` first (or pass --data-dir)"
        case .alreadyInitialized(let p): return "\(p) already holds a caseload; nothing was changed"
        case .badConfig(let p): return "\(p) is not a valid caseload config file"
        case let .notWritable(p, why): return "cannot write to \(p): \(why)"
        case .invalid(let why): return why
        case .locked(let p): return "the caseload in \(p) is encrypted and needs its passphrase (from the terminal, or the file named by CASELOAD_PASSPHRASE_FILE)"
        }
    }
}
