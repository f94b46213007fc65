import CaseloadCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The note handed to `$EDITOR` lives in the private data folder (`editing/DRAFT-ID.txt`,
/// 0600 in a 0700 folder), never in `$TMPDIR`, and is removed after use. If Caseload is killed
/// while the editor is open, the next start puts what the file holds back into its draft
/// (`D` offers it) and removes the file.
///
/// An encrypted caseload's editor file cannot be sealed (the editor reads it), so it goes to
/// memory instead of disk: `$XDG_RUNTIME_DIR` (else `/dev/shm`), in a 0700 folder named after
/// the data folder. It survives the app being killed, not a reboot (the sealed draft in the
/// journal does). Where no such folder exists (macOS) it stays in the data folder.
public enum EditorNoteFile {
    public static func directory(_ dataDirectory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        guard EncryptedCaseload.isEncrypted(dataDirectory), let memory = memoryFolder(environment) else {
            return dataDirectory.appendingPathComponent("editing")
        }
        return memory.appendingPathComponent("caseload-editing-\(folderKey(dataDirectory))")
    }

    /// A folder in memory (tmpfs) this user may write, or nil.
    static func memoryFolder(_ environment: [String: String]) -> URL? {
        var candidates: [String] = []
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { candidates.append(runtime) }
        #if os(Linux)
        candidates.append("/dev/shm")
        #endif
        return candidates.first { access($0, W_OK) == 0 }.map { URL(fileURLWithPath: $0) }
    }

    /// FNV-1a of the data folder's path: one editing folder per caseload, naming no person.
    static func folderKey(_ dataDirectory: URL) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in dataDirectory.standardizedFileURL.path.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return String(h, radix: 16)
    }

    /// Writes `text` for the editor; returns the file's path.
    public static func create(_ text: String, dataDirectory: URL, draftId: UUID) throws -> String {
        let dir = directory(dataDirectory)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Made by someone else in a shared /dev/shm, or opened up: not ours to write a note into.
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.path)
        guard (attributes[.ownerAccountID] as? NSNumber)?.uint32Value == getuid(),
              ((attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777) & 0o077 == 0 else {
            throw StoreError.notWritable(dir.path, "the folder is not private to you")
        }
        let path = dir.appendingPathComponent("\(draftId.lowercasedString).txt").path
        try PrivateFile.save(Data(text.utf8), to: path)
        return path
    }

    /// Notes left by an app that ended while the editor was open: each one's text becomes the
    /// latest version of its draft, then the file goes. Returns what to tell the person.
    public static func recover(into store: CaseloadStore) -> [String] {
        let dir = directory(store.dataDirectory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        var recovered = 0
        var kept: [String] = []
        for name in names.sorted() where name.hasSuffix(".txt") {
            let path = dir.appendingPathComponent(name).path
            guard let id = UUID(uuidString: String(name.dropLast(4))) else { continue }
            guard let draft = store.state.drafts[id] else {
                // Its draft was saved as a session or discarded since: the file is stale.
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                kept.append(path); continue
            }
            if text != draft.text {
                let body = EventBody.draftSaved(DraftSaved(draftId: id, patientId: draft.patientId, sessionId: draft.sessionId,
                                                           date: draft.date, kind: draft.kind, minutes: draft.minutes, text: text))
                do { try store.append([body]) } catch { kept.append(path); continue }
                recovered += 1
            }
            try? FileManager.default.removeItem(atPath: path)
        }
        var messages: [String] = []
        if recovered > 0 {
            messages.append(recovered == 1 ? "A note left open in $EDITOR is back as a draft: press D"
                                           : "\(recovered) notes left open in $EDITOR are back as drafts: press D")
        }
        if !kept.isEmpty { messages.append("could not bring back the note in \(kept.joined(separator: ", ")); it is left there") }
        return messages
    }
}
