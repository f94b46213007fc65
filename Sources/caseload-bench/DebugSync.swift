import ArgumentParser
import CaseloadCommandLine
import CaseloadJournal
import CaseloadSync
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A sync killed part way, for the crash tests: small batches, and the process sends itself
/// SIGKILL once N events have gone through a phase, as a crash or a pulled stick would. The
/// tests then run the real `caseload sync` and check nothing was lost or taken twice.
struct DebugSync: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug-sync",
        abstract: "Sync with small batches and SIGKILL this process part way (crash tests).")
    @OptionGroup var data: DataOptions
    @Argument(help: "folder or postgres.") var target: String
    @Argument(help: "The folder, or the server URL (else the one remembered).") var place: String?
    @Option(help: "Events per batch or page.") var batch: Int
    @Option(name: .customLong("kill-after"), help: "PHASE:N, e.g. sending:400 or receiving:300.") var killAfter: String

    func run() throws {
        let parts = killAfter.split(separator: ":")
        guard parts.count == 2, let n = Int(parts[1]), batch > 0 else { throw ValidationError("--kill-after PHASE:N and --batch N > 0") }
        let phase = String(parts[0])
        let progress: (SyncProgress) -> Void = { p in if p.phase.rawValue == phase, p.done >= n { kill(getpid(), SIGKILL) } }
        let store = try data.open()
        defer { store.close() }
        switch target {
        case "folder":
            guard let place else { throw ValidationError("give the folder") }
            let sync = FolderSync(store: store, folder: URL(fileURLWithPath: place))
            sync.batchSize = batch
            sync.progress = progress
            _ = try sync.run()
        case "postgres":
            let db = try PostgresConnection(try ServerAddress(url: place ?? SyncRecord.load(store.dataDirectory).postgresURL))
            defer { db.close() }
            let sync = PostgresSync(store: store, db: db)
            sync.pushBatch = batch
            sync.pullPage = batch
            sync.progress = progress
            _ = try sync.run()
        default:
            throw ValidationError("the target is folder or postgres")
        }
    }
}
