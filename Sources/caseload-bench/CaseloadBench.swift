import ArgumentParser
import CaseloadCommandLine

/// The benchmark and test hooks, kept out of the shipped `caseload`: the crash harness and the
/// CLI tests drive `debug-append` and `debug-sync`, `scripts/bench` the rest. Prints numbers only, never names
/// or notes.
@main
struct CaseloadBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caseload-bench",
        abstract: "Benchmark and test hooks for a caseload (scripts/bench, the crash harness); not part of caseload.",
        subcommands: [DebugAppend.self, DebugFirstFrame.self, DebugKeystrokes.self, DebugNoteSearch.self, DebugChecksum.self, DebugSync.self]
    )

    static func main() { runExitingWithCodes() }
}
