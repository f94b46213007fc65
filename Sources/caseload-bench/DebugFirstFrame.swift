import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import CaseloadTUI
import CaseloadTerminal
import Foundation

/// For benchmarks: opens the caseload exactly as the terminal app does, builds its initial
/// state and draws the first frame into the in-memory grid (no terminal), then prints how
/// long each step took and how much memory the process holds. Prints numbers only.
struct DebugFirstFrame: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "debug-first-frame", abstract: "Open the caseload as the app does and time drawing the first frame in memory.")
    @OptionGroup var data: DataOptions
    @OptionGroup var asOf: AsOfOption
    @Option(help: "Screen size, WIDTHxHEIGHT.") var size = "80x24"
    @OptionGroup var output: JSONFlag

    struct Report: Encodable {
        var openMs: Double
        var firstFrameMs: Double
        var totalMs: Double
        /// Resident now (VmRSS) and at its peak so far (VmHWM), in MiB.
        var residentMB: Double
        var peakResidentMB: Double
        var events: Int
    }

    func run() throws {
        let screen = try benchScreenSize(size, data: data)
        let clock = { DispatchTime.now().uptimeNanoseconds }
        var options = TerminalAppOptions(dataDirectory: data.directory, asOf: asOf.asOf)
        // Unlocked before the clock starts: Argon2id's quarter second is paid once per start
        // whatever the caseload's size (scripts/bench says so beside the figure).
        options.codec = try Passphrase.codec(for: data.directory)
        let start = clock()
        let opened = try openApp(options)
        defer { opened.store?.close() }
        var state = opened.state
        let openedAt = clock()
        let grid = firstFrame(&state, width: screen.width, height: screen.height, now: ProcessInfo.processInfo.systemUptime)
        let end = clock()
        precondition(grid.width == screen.width)
        let ms = { (a: UInt64, b: UInt64) in Double(b - a) / 1_000_000 }
        let memory = ProcessMemory.read()
        let report = Report(openMs: ms(start, openedAt), firstFrameMs: ms(openedAt, end), totalMs: ms(start, end),
                            residentMB: memory.residentMB, peakResidentMB: memory.peakMB, events: state.caseload.eventCount)
        if output.json {
            try printJSON(report)
        } else {
            say(String(format: "open %.1f ms, first frame %.1f ms, total %.1f ms, resident %.1f MB (peak %.1f MB), %d events",
                       report.openMs, report.firstFrameMs, report.totalMs, report.residentMB, report.peakResidentMB, report.events))
        }
    }
}

/// VmRSS and VmHWM from /proc/self/status (Linux); zero where there is no /proc.
struct ProcessMemory {
    var residentMB = 0.0
    var peakMB = 0.0

    static func read() -> ProcessMemory {
        var m = ProcessMemory()
        // /proc files report size 0, so read until end rather than by size.
        guard let file = FileHandle(forReadingAtPath: "/proc/self/status") else { return m }
        defer { try? file.close() }
        let text = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let kB = Double(fields[1]) else { continue }
            if fields[0] == "VmRSS:" { m.residentMB = kB / 1024 }
            if fields[0] == "VmHWM:" { m.peakMB = kB / 1024 }
        }
        return m
    }
}
