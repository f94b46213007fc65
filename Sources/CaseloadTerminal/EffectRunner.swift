import CaseloadTUI
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
    /// Asked between a sync's batches: true cancels it (Esc while it runs).
    var syncCancelled: (() -> Bool)?
    /// Called while waiting for the team server, to read the keys pressed meanwhile.
    var syncWaiting: (() -> Void)?

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
                sync.shouldCancel = syncCancelled
                let report = try sync.run()
                let last = SyncRecord.load(store.dataDirectory).last
                let status = SyncStatus(device: store.device, lastAt: last?.at ?? store.now(), pushedSeq: last?.pushedSeq ?? 0, folder: path)
                let problems = report.problems.isEmpty ? "" : " (\(report.problems.count) file(s) skipped: see `caseload sync folder`)"
                return [.synced(state: store.state, sync: status, summary: report.summary + problems)]
            } catch SyncError.cancelled {
                // What came in before Esc is kept: show it.
                let last = SyncRecord.load(store.dataDirectory).last
                let status = SyncStatus(device: store.device, lastAt: last?.at ?? store.now(), pushedSeq: last?.pushedSeq ?? 0, folder: path)
                return [.synced(state: store.state, sync: status, summary: SyncError.cancelled.description)]
            } catch {
                return [.syncFailed(message: "\(error)")]
            }

        case .syncPostgres:
            guard let store else { return [.syncFailed(message: "no caseload is open")] }
            do {
                let db = try PostgresConnection(try ServerAddress(url: SyncRecord.load(store.dataDirectory).postgresURL))
                defer { db.close() }
                let cancelled = syncCancelled
                let waiting = syncWaiting
                db.whileWaiting = { waiting?(); return cancelled?() ?? false }
                let sync = PostgresSync(store: store, db: db)
                sync.progress = syncProgress
                sync.shouldCancel = syncCancelled
                let report = try sync.run()
                let record = SyncRecord.load(store.dataDirectory)
                var status = SyncStatus(device: store.device, lastAt: record.last?.at ?? store.now(), pushedSeq: record.last?.pushedSeq ?? 0)
                status.viaPostgres = true
                status.notOnServer = record.notOnServer ?? [:]
                // Events the server would not take stay in the status line, not only in a log.
                let problems = report.problems.isEmpty ? "" : "; " + report.problems.joined(separator: "; ")
                return [.synced(state: store.state, sync: status, summary: report.summary + (db.usesTLS ? " (TLS)" : "") + problems)]
            } catch SyncError.cancelled {
                let record = SyncRecord.load(store.dataDirectory)
                var status = SyncStatus(device: store.device, lastAt: record.last?.at ?? store.now(), pushedSeq: record.last?.pushedSeq ?? 0)
                status.viaPostgres = true
                return [.synced(state: store.state, sync: status, summary: SyncError.cancelled.description)]
            } catch {
                return [.syncFailed(message: "\(error)")]
            }

        case .openExternalEditor(let text, let draftId):
            return [.externalEditorClosed(text: editExternally(text, draftId: draftId))]

        case .rememberListView(let view):
            // Only how the list is shown, never who is in it; a failure costs the setting only.
            if let bytes = try? JSONEncoder().encode(view) {
                try? PrivateFile.save(bytes, to: dataDirectory.appendingPathComponent(ListViewFile.name).path)
            }
            return []

        case .writeFile(let path, let contents):
            do {
                try PrivateFile.save(Data(contents.utf8), to: path)
                return [.fileWritten(path: path)]
            } catch {
                return [.fileWriteFailed(message: "\(error)")]
            }

        case .loadHistory(let patientId):
            guard let store, let all = try? store.eventsOfAllJournals() else { return [.historyLoaded(patientId: patientId, lines: nil)] }
            let entries = DetailHistory.entries(about: patientId, in: all, state: store.state)
            return [.historyLoaded(patientId: patientId, lines: entries.map(DetailHistory.line))]

        case .checkPassphrase(let typed):
            // The start-up prompt's check: the key file opens with this passphrase or it does not.
            let ok = (try? EncryptedCaseload.unlock(dataDirectory, passphrase: typed)) != nil
            return [.passphraseChecked(ok: ok)]
        }
    }

    /// Writes the note to a private file in the data folder (`EditorNoteFile`), runs
    /// `$VISUAL`/`$EDITOR` on it with the terminal handed over, reads it back and deletes it.
    private func editExternally(_ text: String, draftId: UUID) -> String? {
        let env = ProcessInfo.processInfo.environment
        let editor = [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        guard let path = try? EditorNoteFile.create(text, dataDirectory: dataDirectory, draftId: draftId) else { return nil }
        let file = URL(fileURLWithPath: path)
        defer { try? FileManager.default.removeItem(at: file) }
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

/// `view.json` in the data folder: the list's last worker filter and sort (no personal data).
enum ListViewFile {
    static let name = "view.json"

    /// Nil when absent or unreadable: the list then starts as it always has.
    static func read(_ dataDirectory: URL) -> ListView? {
        let url = dataDirectory.appendingPathComponent(name)
        guard let data = try? Data(contentsOf: url), data.count < 4096 else { return nil }
        return try? JSONDecoder().decode(ListView.self, from: data)
    }
}
