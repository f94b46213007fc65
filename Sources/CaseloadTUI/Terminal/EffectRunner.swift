import CaseloadCore
import CaseloadJournal
import CaseloadSync
import Foundation

/// Carries out effects against the store, the file system and `$EDITOR`, and turns each
/// outcome into the message `update` receives.
final class EffectRunner {
    let dataDirectory: URL
    var store: CaseloadStore?
    let terminal: CursesTerminal
    var syncProgress: ((SyncProgress) -> Void)?

    init(dataDirectory: URL, store: CaseloadStore?, terminal: CursesTerminal) {
        self.dataDirectory = dataDirectory
        self.store = store
        self.terminal = terminal
    }

    func run(_ effect: Effect) -> [Msg] {
        switch effect {
        case .quit:
            return []

        case .append(let bodies, let purpose):
            guard let store else { return [.saveFailed(purpose: purpose, message: "no caseload is open")] }
            do {
                let events = try store.append(bodies)
                return [.saved(SaveResult(purpose: purpose, events: events, state: store.state))]
            } catch {
                return [.saveFailed(purpose: purpose, message: "\(error)")]
            }

        case .undo(let ids, let description):
            guard let store else { return [.undoFailed(message: "no caseload is open")] }
            do {
                // One append for all of a change's events: one fsync, one re-fold.
                try store.append(ids.map { .changeUndone(ChangeUndone(eventId: $0)) })
                return [.undone(state: store.state, description: description)]
            } catch {
                return [.undoFailed(message: "\(error)")]
            }

        case .initialize(let name, let team):
            do {
                let s = try DataDirectory.initialize(at: dataDirectory, workerName: name, team: team)
                store = s
                return [.storeOpened(state: s.state, workerId: s.workerId)]
            } catch {
                return [.storeOpenFailed(message: "\(error)")]
            }

        case .syncFolder(let path):
            guard let store else { return [.syncFailed(message: "no caseload is open")] }
            do {
                let sync = FolderSync(store: store, folder: URL(fileURLWithPath: path))
                sync.progress = syncProgress
                let report = try sync.run()
                let last = SyncRecord.load(store.dataDirectory).last
                let status = SyncStatus(device: store.device, lastAt: last?.at ?? store.now(), pushedSeq: last?.pushedSeq ?? 0, folder: path)
                let problems = report.problems.isEmpty ? "" : " (\(report.problems.count) file(s) skipped: see `caseload sync folder`)"
                return [.synced(state: store.state, sync: status, summary: report.summary + problems)]
            } catch {
                return [.syncFailed(message: "\(error)")]
            }

        case .syncPostgres:
            guard let store else { return [.syncFailed(message: "no caseload is open")] }
            do {
                let db = try PostgresConnection(try ServerAddress(url: SyncRecord.load(store.dataDirectory).postgresURL))
                defer { db.close() }
                let sync = PostgresSync(store: store, db: db)
                sync.progress = syncProgress
                let report = try sync.run()
                let last = SyncRecord.load(store.dataDirectory).last
                var status = SyncStatus(device: store.device, lastAt: last?.at ?? store.now(), pushedSeq: last?.pushedSeq ?? 0)
                status.viaPostgres = true
                return [.synced(state: store.state, sync: status, summary: report.summary + (db.usesTLS ? " (TLS)" : ""))]
            } catch {
                return [.syncFailed(message: "\(error)")]
            }

        case .openExternalEditor(let text):
            return [.externalEditorClosed(text: editExternally(text))]

        case .writeFile(let path, let contents):
            do {
                try PrivateFile.write(contents, to: path)
                return [.fileWritten(path: path)]
            } catch {
                return [.fileWriteFailed(message: "\(error)")]
            }
        }
    }

    /// Writes the note to a private temporary file, runs `$VISUAL`/`$EDITOR` on it with the
    /// terminal handed over, reads it back and deletes the file.
    private func editExternally(_ text: String) -> String? {
        let env = ProcessInfo.processInfo.environment
        let editor = [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caseload-\(UUID().uuidString)")
        let file = dir.appendingPathComponent("note.txt")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard FileManager.default.createFile(atPath: file.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else { return nil }
        } catch {
            return nil
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        terminal.suspend()
        defer { terminal.resume() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The editor command may carry arguments ("code -w"); the file is passed as $1.
        process.arguments = ["-c", editor + " \"$1\"", "caseload-editor", file.path]
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return nil
        }
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: file.path) else { return nil }
        var result = String(decoding: data, as: UTF8.self)
        // Editors add a final newline; the note did not have one.
        if result.hasSuffix("\n") && !text.hasSuffix("\n") { result.removeLast() }
        return result
    }
}
