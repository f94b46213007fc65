import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import CaseloadSync
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Exchange events with other devices: send ours, receive theirs. Nothing is ever overwritten.",
        subcommands: [SyncFolder.self, SyncPostgres.self]
    )
}

struct SyncFolder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folder",
        abstract: "Sync through a shared folder (a USB stick or a shared drive): safe to interrupt and run again.",
        discussion: """
        Each device writes <folder>/<device id>.journal and reads everyone else's. Files that are \
        damaged, renamed, links, over 1 GiB, or hold records with out-of-range clocks or a key \
        twice are skipped with one line each. Events dated in the future are kept and named as \
        suspect, never used to date yours. If this data folder was restored from a backup or \
        copied to another computer, the sync says so and carries on under a new device id, \
        keeping every event of both copies.
        """
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var output: JSONFlag
    @Argument(help: "The shared folder.") var path: String

    struct Output: Encodable {
        var sent: Int
        var received: Int
        var devices: Int
        var recorded: Bool
        var problems: [String]
        var waiting: Int
    }

    func run() throws {
        let store = try data.open()
        defer { store.close() }
        let sync = FolderSync(store: store, folder: URL(fileURLWithPath: path))
        let progress = ProgressLine()
        sync.progress = { progress.show($0) }
        let report = try sync.run()
        progress.finish()
        for p in report.problems { FileHandle.standardError.write(Data("caseload: warning: \(p)\n".utf8)) }
        let waiting = SyncRecord.load(store.dataDirectory).waiting(lastSeq: store.lastSeq)
        if output.json {
            try printJSON(Output(sent: report.sent, received: report.received, devices: report.devices,
                                 recorded: report.recorded, problems: report.problems, waiting: waiting))
            if report.sendFailed { throw ExitCode(1) }
            return
        }
        say("Synced with \(path): \(report.summary)")
        sayLikelyDuplicates(store.state)
        if report.sendFailed { throw CLIError("this device's events could not be written to the folder (see the warning above); run the sync again once that is fixed") }
    }
}
