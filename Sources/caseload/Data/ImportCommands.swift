import ArgumentParser
import CaseloadCommandLine
import CaseloadConfig
import CaseloadCore
import CaseloadJournal
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Bring in a directory of community services or a caseload from a spreadsheet.",
        subcommands: [Directory.self, CaseloadFile.self])

    struct Directory: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import community services from Open Referral UK: a data package folder (datapackage.json + CSVs) or a JSON service list.",
            discussion: """
            Re-importing updates changed services (matched on their Open Referral id) without duplicating them, \
            and marks services the directory no longer lists as "no longer listed"; connections keep pointing \
            at the same service. Nothing is written if any part of the package is wrong.
            """)
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: "A folder (or its datapackage.json) or a .json service list.") var path: String
        @Flag(help: "Show what would change and write nothing.") var dryRun = false
        @Option(help: "Name of the directory; a re-import only delists services of the same source.") var source = "Open Referral UK"

        struct Summary: Encodable {
            /// `id` is the service's id in this caseload (none for a dry run's additions).
            struct Item: Encodable { var id: String?; var name: String; var externalId: String?; var changed: [String]? }
            var dryRun: Bool
            var source: String
            var added: [Item]
            var updated: [Item]
            var unchanged: Int
            var removed: [Item]
        }

        func run() throws {
            let entries = try read()
            let store = try data.open(dryRun ? .readOnly : .readWrite)
            defer { store.close() }
            let plan = store.state.planDirectoryImport(entries, source: source)
            if !dryRun, !plan.isEmpty { try store.append(plan.events(on: asOf.today)) }
            // The added services' new ids, found by the directory's own id they were saved with.
            var newIds: [String: UUID] = [:]
            if !dryRun {
                for s in store.state.services.values where s.source == source { if let x = s.externalId { newIds[x] = s.id } }
            }
            let id = { (u: UUID?) in u?.lowercasedString }
            let summary = Summary(
                dryRun: dryRun, source: source,
                added: plan.added.map { .init(id: id(newIds[$0.externalId]), name: $0.name, externalId: $0.externalId) },
                updated: plan.updated.map { .init(id: id($0.service.id), name: $0.entry.name, externalId: $0.entry.externalId, changed: $0.changed) },
                unchanged: plan.unchanged.count,
                removed: plan.removed.map { .init(id: id($0.id), name: $0.name, externalId: $0.externalId) })
            if output.json { return try printJSON(summary) }
            for a in summary.added { say("+ added      \(a.name)") }
            for u in summary.updated { say("~ updated    \(u.name) (\((u.changed ?? []).joined(separator: ", ")))") }
            for r in summary.removed { say("- not listed \(r.name)") }
            let counts = "\(plan.added.count) added, \(plan.updated.count) updated, \(plan.unchanged.count) unchanged, \(plan.removed.count) no longer listed"
            say(dryRun ? "Dry run, nothing written: would be \(counts)." : "Imported from \(source): \(counts).")
        }

        /// The directory's services, or every problem found (and nothing imported).
        func read() throws -> [DirectoryEntry] {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw CLIError("\(path) does not exist") }
            let result: Result<[DirectoryEntry], Problems<OpenReferral.Problem>>
            let url = URL(fileURLWithPath: path)
            if isDir.boolValue || url.lastPathComponent == "datapackage.json" {
                let folder = isDir.boolValue ? url : url.deletingLastPathComponent()
                guard let descriptor = FileManager.default.contents(atPath: folder.appendingPathComponent("datapackage.json").path) else {
                    throw CLIError.badData("\(path) has no datapackage.json: an Open Referral UK package is a folder with datapackage.json and one CSV per table")
                }
                result = OpenReferral.entries(descriptor: descriptor) { FileManager.default.contents(atPath: folder.appendingPathComponent($0).path) }
            } else {
                guard let bytes = FileManager.default.contents(atPath: path) else { throw CLIError.io("\(path) cannot be read") }
                result = OpenReferral.entries(json: bytes, file: url.lastPathComponent)
            }
            switch result {
            case .success(let entries): return entries
            case .failure(let found):
                let problems = found.items
                for p in problems.prefix(50) { FileHandle.standardError.write(Data("  \(p)\n".utf8)) }
                throw CLIError.badData("the directory has \(problems.count) problem\(problems.count == 1 ? "" : "s") (listed above); nothing was imported")
            }
        }
    }

    struct CaseloadFile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "caseload",
            abstract: "Import people from a spreadsheet (CSV UTF-8), or a whole caseload from a `caseload export --format csv` folder.",
            discussion: """
            Columns are recognised by their headers (Name, NHS number, Date of birth, Referral date, Source, Reasons, \
            Worker, Status, ...) or named in a --map file of lines like `nhsNumber = "NHS No."` and `ignore = "Notes"`. \
            Dates are YYYY-MM-DD or dd/mm/yyyy. Every row is checked first; nothing is written unless all are valid, \
            or --skip-invalid is given with --rejects FILE for the rows left out. People already in the caseload \
            (same NHS number, or same id from an export) are not added again.
            """)
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: "A .csv file of people, or a folder written by `caseload export --format csv`.") var path: String
        @Option(help: "A mapping file: one `field = \"Header in file\"` per line.") var map: String?
        @Flag(help: "Check everything and say what would be imported; write nothing.") var dryRun = false
        @Flag(help: "Import the valid rows and write the others to --rejects.") var skipInvalid = false
        @Option(help: "Where --skip-invalid writes the rejected rows (CSV, with a problem column).") var rejects: String?
        @Flag(help: "Register a worker named in the Worker column who is not known yet (without it, an unknown name is refused as a likely misspelling).") var createWorkers = false

        struct Summary: Encodable {
            var dryRun: Bool
            var peopleAdded: Int
            var peopleAlreadyThere: Int
            var rejected: Int
            var related: [String: Int]
            var events: Int
            /// Each problem: file, line, column and what is wrong.
            var problems: [String]
            /// Each imported row's person: the line, their id, and whether they are new (else
            /// already in the caseload). Empty for a dry run and when nothing was imported.
            var people: [Person] = []
            struct Person: Encodable { var line: Int; var id: String; var added: Bool }
        }

        func run() throws {
            if skipInvalid != (rejects != nil) { throw CLIError("--skip-invalid and --rejects FILE go together: the rejected rows must be kept somewhere") }
            var mapping: ColumnMapping?
            if let map {
                do {
                    mapping = try ColumnMappingFile.read(path: map)
                } catch {
                    throw CLIError.badData("the mapping file \(error)")
                }
            }
            let peopleFile: String
            var people: CSVTable, related: [String: CSVTable]
            (peopleFile, people, related) = try readFiles()
            let store = try data.open(dryRun ? .readOnly : .readWrite)
            defer { store.close() }
            let importer = CaseloadImport(state: store.state, asOf: asOf.today, workerSlug: DataDirectory.workerSlug, createWorkers: createWorkers)
            let progress = ProgressLine(logsWhenPiped: false)
            let plan = importer.plan(people: people, file: peopleFile, mapping: mapping, related: related) {
                progress.show("checking", done: $0, of: $1, "rows")
            }
            progress.finish()
            // Every cell is now in the plan's events: the files' memory (as much again, for a
            // large caseload) goes before the caseload grows with the write.
            related = [:]
            // The per-row report goes to standard output: it can quote cells, and stderr stays free of personal data.
            let allProblems = (plan.fileProblems + plan.problems).map(\.description)
            var summary = Summary(dryRun: dryRun, peopleAdded: plan.peopleAdded, peopleAlreadyThere: plan.peopleMatched,
                                  rejected: plan.rejectedLines.count, related: plan.counts, events: plan.events.count, problems: allProblems)
            let failing = !plan.fileProblems.isEmpty || (!plan.problems.isEmpty && !skipInvalid)
            if output.json, failing {
                summary.events = 0
                try printJSON(summary)
            } else if !output.json {
                for p in allProblems.prefix(200) { say("  \(p)") }
                if allProblems.count > 200 { say("  ... and \(allProblems.count - 200) more") }
            }
            if !plan.fileProblems.isEmpty {
                throw CLIError.badData("the files have \(plan.fileProblems.count) problem\(plan.fileProblems.count == 1 ? "" : "s") (listed on standard output); nothing was imported")
            }
            if !plan.problems.isEmpty && !skipInvalid {
                throw CLIError.badData("\(plan.rejectedLines.count) row\(plan.rejectedLines.count == 1 ? " has" : "s have") problems (listed on standard output); nothing was imported. Fix them, or use --skip-invalid --rejects FILE")
            }
            if !dryRun {
                var rejectsURL: URL?
                if let rejects, !plan.rejectedLines.isEmpty {
                    rejectsURL = URL(fileURLWithPath: rejects)
                    try writeRejects(people, plan: plan, to: rejectsURL!)
                }
                people = CSVTable([])
                if !plan.events.isEmpty {
                    // One write, all or nothing, made and written a piece at a time.
                    progress.show("writing", done: 0, of: plan.events.count, "events")
                    defer { progress.finish() }
                    var written = 0
                    do {
                        try store.append(plan.events.lazy.map { PendingEvent($0.body, author: $0.author) }) { piece in
                            written += piece.count
                            progress.show("writing", done: written, of: plan.events.count, "events")
                        }
                    }
                    catch {
                        if let rejectsURL { try? FileManager.default.removeItem(at: rejectsURL) }
                        throw error
                    }
                }
            }
            if !dryRun { summary.people = plan.people.map { .init(line: $0.line, id: $0.patientId.lowercasedString, added: $0.added) } }
            if output.json { return try printJSON(summary) }
            let relatedCounts = plan.counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            var line = dryRun ? "Dry run, nothing written: would add" : "Imported"
            line += " \(plan.peopleAdded) \(plan.peopleAdded == 1 ? "person" : "people")"
            if !relatedCounts.isEmpty { line += " (with " + relatedCounts.joined(separator: ", ") + ")" }
            if plan.peopleMatched > 0 { line += "; \(plan.peopleMatched) already in the caseload, left as they are" }
            if !plan.rejectedLines.isEmpty { line += "; \(plan.rejectedLines.count) rejected" + (dryRun ? "" : ", written to \(rejects!)") }
            say(line + ".")
        }

        /// The people table, its file name, and (for an export folder) the related tables.
        func readFiles() throws -> (String, CSVTable, [String: CSVTable]) {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw CLIError("\(path) does not exist") }
            func table(_ url: URL) throws -> CSVTable {
                guard let bytes = FileManager.default.contents(atPath: url.path) else { throw CLIError.io("\(url.path) cannot be read") }
                switch CSVTable.parse(bytes) {
                case .success(let t): return t
                case .failure(let p): throw CLIError.badData("\(url.lastPathComponent): \(p); nothing was imported")
                }
            }
            guard isDir.boolValue else { return (URL(fileURLWithPath: path).lastPathComponent, try table(URL(fileURLWithPath: path)), [:]) }
            let dir = URL(fileURLWithPath: path)
            let people = dir.appendingPathComponent("patients.csv")
            guard FileManager.default.fileExists(atPath: people.path) else {
                throw CLIError("\(path) has no patients.csv: give a CSV file, or a folder written by `caseload export --format csv`")
            }
            var related: [String: CSVTable] = [:]
            for name in ["workers.csv", "services.csv", "sessions.csv", "goals.csv", "measures.csv", "connections.csv", "followups.csv", "risks.csv"] {
                let url = dir.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: url.path) { related[name] = try table(url) }
            }
            return ("patients.csv", try table(people), related)
        }

        func writeRejects(_ people: CSVTable, plan: CaseloadImport.Plan, to url: URL) throws {
            var csv = CSVWriter(header: people.header + ["problem"])
            for row in people.rows where plan.rejectedLines.contains(row.line) {
                let why = plan.problems.filter { $0.line == row.line }.map { ($0.column.map { "\($0): " } ?? "") + $0.message }.joined(separator: "; ")
                csv.add(row.fields + [why])
            }
            do { try PrivateFile.save(csv.data, to: url.path) }
            catch { throw CLIError.io("cannot write the rejected rows to \(url.path): \(error); nothing was imported") }
        }
    }
}
