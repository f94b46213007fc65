import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadCrypto
import CaseloadJournal
import Foundation

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fill an empty data folder with a realistic synthetic caseload (test NHS numbers only).")
    @OptionGroup var data: DataOptions
    @OptionGroup var asOf: AsOfOption
    @Option(help: "How many people.") var patients = 200
    @Option(help: "Same seed, same caseload.") var seed: UInt64 = 1
    @OptionGroup var output: JSONFlag

    struct Output: Encodable {
        var dataDir: String
        var workerId: String
        var device: String
        var patients: Int
        var events: Int
    }

    func run() throws {
        guard patients >= 0, patients <= 1_000_000 else { throw CLIError("--patients is 0 to 1000000") }
        let start = Date()
        let progress = ProgressLine(logsWhenPiped: false)
        let made = try Demo.fill(directory: data.directory, patients: patients, seed: seed, asOf: asOf.today, progress: progress)
        progress.finish()
        if output.json {
            return try printJSON(Output(dataDir: data.directory.path, workerId: made.workerId, device: made.device.lowercasedString,
                                        patients: patients, events: made.events))
        }
        say("Demo caseload: \(patients) people, \(made.events) events in \(data.directory.path) (\(String(format: "%.1f", Date().timeIntervalSince(start))) s)")
    }

    /// Initialises `directory` as Amira's device and appends the demo's events in batches,
    /// showing how far it has got on `progress` when given.
    @discardableResult
    static func fill(directory: URL, patients: Int, seed: UInt64, asOf: Day,
                     progress: ProgressLine? = nil) throws -> (events: Int, workerId: String, device: UUID) {
        if DataDirectory.isInitialized(directory) {
            throw CLIError("\(directory.path) already holds a caseload; the demo needs an empty folder (try --data-dir)")
        }
        var rng = SeededRandom(seed: seed ^ 0xDE30)
        let store = try DataDirectory.initialize(at: directory, workerName: "Amira Haddad", team: "North", device: rng.uuid())
        defer { store.close() }
        let items = DemoCaseload.generate(patients: patients, seed: seed, asOf: asOf) { progress?.show("making", done: $0, of: patients, "people") }
        // The generator registers workers itself; skip the duplicate of the one `initialize` wrote.
        let pending = items.compactMap { item -> PendingEvent? in
            if case .workerRegistered(let w) = item.body, w.workerId == store.workerId { return nil }
            return item.pending
        }
        var i = 0
        while i < pending.count {
            let batch = Array(pending[i..<min(i + 20_000, pending.count)])
            try store.append(batch)
            i += batch.count
            progress?.show("writing", done: i, of: pending.count, "events")
        }
        return (pending.count + 1, store.workerId, store.device)
    }
}
