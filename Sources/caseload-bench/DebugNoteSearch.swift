import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import CaseloadTUI
import CaseloadTerminal
import Foundation

/// For benchmarks: opens the caseload as the app does and times the search screen per key
/// typed, with the folded-note index and with the plain path (`NoteSearchBenchmark`). Prints
/// numbers only, never the queries' hits.
struct DebugNoteSearch: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "debug-note-search", abstract: "Time the note search per key typed, through the index and the plain path.")
    @OptionGroup var data: DataOptions
    @OptionGroup var asOf: AsOfOption
    @Option(help: "Words typed key by key, comma-separated.") var words = "walking,garden,suilleabhain,bench,housing officer"
    @Option(help: "The words also timed through the plain path, comma-separated.") var plainWords = "garden"

    struct Report: Encodable {
        var notes: Int
        var buildMs: Double
        var keys: Int
        var indexedMedianMs: Double
        var indexedWorstMs: Double
        var plainKeys: Int
        var plainMedianMs: Double
        var mostHits: Int
        var agree: Bool
    }

    func run() throws {
        guard DataDirectory.isInitialized(data.directory) else { throw CLIError(StoreError.notInitialized(data.directory.path).description) }
        let list = { (s: String) in s.split(separator: ",").map(String.init).filter { !$0.isEmpty } }
        guard !list(words).isEmpty else { throw ValidationError("--words needs at least one word") }
        let opened = try openApp(TerminalAppOptions(dataDirectory: data.directory, asOf: asOf.asOf))
        defer { opened.store?.close() }
        let r = NoteSearchBenchmark.run(opened.state.caseload, words: list(words), plainWords: list(plainWords))
        let median = { (xs: [Double]) in xs.isEmpty ? 0 : xs.sorted()[xs.count / 2] }
        try printJSON(Report(notes: r.notes, buildMs: r.buildMs, keys: r.indexedMs.count, indexedMedianMs: median(r.indexedMs),
                             indexedWorstMs: r.indexedMs.max() ?? 0, plainKeys: r.plainMs.count, plainMedianMs: median(r.plainMs),
                             mostHits: r.mostHits, agree: r.agree))
    }
}
