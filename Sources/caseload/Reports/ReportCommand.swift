import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Figures for commissioners and practices: people, community and system levels (Common Outcomes Framework).",
        discussion: """
        The people referred in the period (by referral date) are the cohort for referrals, first \
        contact, sessions, status and measures; statuses, connection stages and measures are as at \
        the period's end. Connections are those made in the period. Overdue follow-ups are as of \
        --as-of. Every table says what it counts.
        """)

    @OptionGroup var data: DataOptions
    @OptionGroup var asOf: AsOfOption
    @Option(help: "First day of the period, YYYY-MM-DD (default: the first record).") var from: Day?
    @Option(help: "Last day of the period, YYYY-MM-DD (default: --as-of, else today).") var to: Day?
    @Option(help: "Only this team's caseload (by each person's assigned worker).") var team: String?
    @Option(help: "Only this worker's caseload (worker id or name).") var worker: String?
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "Write one CSV file per table into this folder (created if needed).") var csv: String?
    @Option(help: "SWEMWBS metric points that count as a meaningful change.") var swemwbsThreshold = ReportOptions.defaultSwemwbsThreshold
    @Option(help: "Points on an ONS4 item that count as a meaningful change.") var ons4Threshold = ReportOptions.defaultOns4Threshold
    @Option(help: "UCLA-3 points that count as a meaningful change.") var ucla3Threshold = ReportOptions.defaultUcla3Threshold

    func validate() throws {
        if team != nil && worker != nil { throw ValidationError("give --team or --worker, not both") }
        if json && csv != nil { throw ValidationError("give --json or --csv, not both") }
        for (flag, value) in [("--swemwbs-threshold", swemwbsThreshold), ("--ons4-threshold", ons4Threshold), ("--ucla3-threshold", ucla3Threshold)]
            where !(value > 0 && value.isFinite) {
            throw ValidationError("\(flag) must be a number above 0, not \(value)")
        }
    }

    func run() throws {
        let end = to ?? asOf.today
        if let from, from > end { throw CLIError("--from \(from) is after the period's end \(end)") }
        let store = try data.open(.readOnly)
        let state = store.state
        let workerId = try worker.map { try Report.resolveWorker($0, in: state) }
        if let team, !state.workers.values.contains(where: { $0.team == team }) {
            let teams = Set(state.workers.values.compactMap(\.team)).sorted()
            throw CLIError("no team '\(team)'" + (teams.isEmpty ? "" : " (teams: \(teams.joined(separator: ", ")))"))
        }
        let options = ReportOptions(asOf: asOf.today, swemwbsThreshold: swemwbsThreshold, ons4Threshold: ons4Threshold, ucla3Threshold: ucla3Threshold)
        let report = CaseloadReport.make(state: state, from: from, to: end, team: team, worker: workerId, options: options)
        if json { return try printJSON(report) }
        if let csv { return try Report.writeCSV(report, to: csv) }
        Report.printText(report)
    }

    /// A worker by id, or by name ignoring case.
    static func resolveWorker(_ key: String, in state: CaseloadState) throws -> String {
        if state.workers[key] != nil { return key }
        let named = state.workers.values.filter { $0.name.lowercased() == key.lowercased() }
        if named.count == 1 { return named[0].id }
        if named.count > 1 { throw CLIError("'\(key)' names \(named.count) workers (\(named.map(\.id).sorted().joined(separator: ", "))); give the worker id") }
        throw CLIError("no worker '\(key)' (workers: \(state.workers.keys.sorted().joined(separator: ", ")))")
    }

    static func printText(_ r: CaseloadReport) {
        say("Caseload report, \(r.periodText) · \(r.scopeText) · overdue as of \(r.options.asOf)")
        say("Meaningful change: SWEMWBS \(CaseloadReport.number(r.options.swemwbsThreshold)) metric points, ONS4 \(CaseloadReport.number(r.options.ons4Threshold)) per item, UCLA-3 \(CaseloadReport.number(r.options.ucla3Threshold))")
        // A quarter asked for before it is over: "as at 31 Dec" must not read as a forecast.
        if r.to > r.options.asOf {
            say("The period ends after \(r.options.asOf) (today): figures at its end are as recorded up to today.")
        }
        var level: ReportTable.Level?
        for t in r.tables() {
            if t.level != level {
                level = t.level
                switch t.level {
                case .people: say("\n== People ==")
                case .community: say("\n== Community ==")
                case .system: say("\n== Health and care system ==")
                }
            }
            say("\n\(t.title) (\(t.counts))")
            if t.rows.isEmpty { say("  none"); continue }
            var table = TextTable(t.header)
            for row in t.rows { table.add(row) }
            table.print()
        }
    }

    /// One CSV per table plus `report.csv` saying what the period and thresholds were.
    /// Everything is built before the first file is written.
    static func writeCSV(_ r: CaseloadReport, to path: String) throws {
        var files: [(String, Data)] = []
        let info: [[ReportCell]] = [
            [.text("from"), .text(r.from.map { "\($0)" } ?? "")],
            [.text("to"), .text("\(r.to)")],
            [.text("overdue as of"), .text("\(r.options.asOf)")],
            [.text("scope"), .text(r.scopeText)],
            [.text("swemwbs threshold"), .number(r.options.swemwbsThreshold)],
            [.text("ons4 threshold"), .number(r.options.ons4Threshold)],
            [.text("ucla3 threshold"), .number(r.options.ucla3Threshold)],
        ]
        files.append(("report.csv", ReportCSV.data(header: ["figure", "value"], rows: info)))
        for t in r.tables() { files.append(("\(t.name).csv", ReportCSV.data(header: t.csvHeader, rows: t.csvRows))) }
        let dir = URL(fileURLWithPath: path)
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
        catch { throw CLIError("cannot create \(path): \(error.localizedDescription)") }
        for (name, bytes) in files {
            let url = dir.appendingPathComponent(name)
            try writePrivate(bytes, to: url.path)
        }
        say("wrote \(files.count) files to \(dir.path)")
    }
}

/// A report table as CSV a spreadsheet reads as meant: numbers bare, every text cell quoted
/// (so `07700 900123` keeps its zero in a reader that honours quotes, and Python's csv module
/// with QUOTE_NONNUMERIC gives numbers and text back as they were), a number with no value
/// empty, and text that would run as a formula guarded.
enum ReportCSV {
    static func data(header: [String], rows: [[ReportCell]]) -> Data {
        var lines = [header.map(quoted).joined(separator: ",")]
        for row in rows { lines.append(row.map(field).joined(separator: ",")) }
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    static func field(_ c: ReportCell) -> String {
        if let n = c.numeric { return n }
        if c.isEmptyNumber { return "" }
        return quoted(SpreadsheetCell.guarded(c.text))
    }

    static func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
