import CaseloadConfig
import CaseloadCore
import CaseloadJournal
import CaseloadSync
import CaseloadTUI
import Foundation

/// An invariant a fuzz input broke without crashing (a crash speaks for itself).
public struct FuzzFailure: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Every parser of bytes that can come from outside the process: journal files (our own, a
/// colleague's from a sync folder, or one damaged by a crash), the events in them, the
/// snapshot cache, and theme files. Each target must either accept its input or reject it
/// with an error; it must never crash, and what it accepts must hold together.
/// Run by `FuzzTests` (a seeded mutator, bounded in CI) and by `caseload-fuzz` (libFuzzer).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `JournalScanner.scan`: the whole-file reader used by `verify`, sync and recovery.
    case journalScan = "journal-scan"
    /// Opening a data folder whose journal holds these bytes after a valid header: recovery of
    /// a torn tail (`JournalFile`), the streaming reader and the fold (`CaseloadStore`).
    case journalOpen = "journal-open"
    /// `Event.decode` (the hand-written `FastEventDecoder`) on one record's payload.
    case event
    /// `StateSnapshot.decode`: the snapshot cache's state image.
    case stateSnapshot = "state-snapshot"
    /// `followups.idx`, the follow-ups cache `overdue` reads instead of the caseload.
    case followupIndex = "followup-index"
    /// `ThemeFile.parse` (TOMLKit, toml++) on a theme file's text.
    case theme
    /// Values people type or import: dates (`Day`), NHS numbers, vocabulary words, and
    /// `import caseload --map` files.
    case field
    /// A people spreadsheet: `CSVTable.parse` and the import plan built from it.
    case importCSV = "import-csv"
    /// An Open Referral UK directory: the JSON API form, and a data package whose
    /// datapackage.json is the input (its CSV resources are the shipped fixtures).
    case importORUK = "import-oruk"
    /// Another device's file in a shared folder, pulled by a folder sync (whole and streamed).
    case folderSync = "folder-sync"
    /// A sealed record (encryption on): `EventEnvelope.decode` and `EventSealer.event(from:)`.
    case sealedEvent = "sealed-event"

    /// Runs one input; throws `FuzzFailure` when an invariant breaks.
    public func run(_ bytes: [UInt8]) throws {
        switch self {
        case .journalScan: try FuzzTarget.checkScan(bytes)
        case .journalOpen: try JournalOpenFixture.shared.check(body: bytes)
        case .event: try FuzzTarget.checkEvent(bytes)
        case .stateSnapshot: _ = try? bytes.withUnsafeBytes { try StateSnapshot.decode($0) }
        case .followupIndex:
            do { try FollowupIndexBytes.check(bytes) } catch { throw FuzzFailure("\(error)") }
        case .theme: _ = try? ThemeFile.parse(String(decoding: bytes, as: UTF8.self), name: "fuzz", file: "fuzz.toml")
        case .field: try FuzzTarget.checkField(bytes)
        case .importCSV: try FuzzTarget.checkImportCSV(bytes)
        case .folderSync: try FolderSyncFixture.shared.check(file: bytes)
        case .sealedEvent: try SealedEventFuzz.check(bytes)
        case .importORUK:
            _ = OpenReferral.entries(json: Data(bytes), file: "services.json")
            _ = OpenReferral.entries(descriptor: Data(bytes)) { FuzzSeeds.orukPackage[$0] }
        }
    }

    /// Removes the data folder the journal-open target made in the temporary directory.
    public static func removeTemporaryFiles() {
        JournalOpenFixture.removeIfMade()
        FolderSyncFixture.removeIfMade()
    }

    /// Valid inputs to start mutating from.
    public var seeds: [[UInt8]] {
        switch self {
        case .journalScan: return [FuzzSeeds.journal(events: 3), FuzzSeeds.journal(events: 12), Array(JournalFormat.encodeHeader(device: FuzzSeeds.device)),
                                   JournalFormat.encodeHeader(device: FuzzSeeds.device) + FuzzSeeds.largeRecords]
        case .journalOpen: return [FuzzSeeds.records(events: 2), FuzzSeeds.records(events: 8), [], FuzzSeeds.largeRecords]
        case .event: return FuzzSeeds.eventPayloads.map { Array($0) }
        case .stateSnapshot: return [StateSnapshot.encode(CaseloadState.fold(FuzzSeeds.events))]
        case .followupIndex: return [FollowupIndexBytes.seed(FollowupDigest(CaseloadState.fold(FuzzSeeds.events))),
                                     FollowupIndexBytes.seed(FollowupDigest(rows: [], teams: [:]))]
        case .theme: return FuzzSeeds.themes
        case .field: return ["2026-11-23", "2024-02-29", "943 476 5919", "943-476-5919", "did-not-attend", "f2f", "money/debt",
                             "# columns\nreferrer = \"Referred by\"\nignore = \"Notes\"\n"].map { Array($0.utf8) }
        case .importCSV: return FuzzSeeds.peopleSheets
        case .importORUK: return FuzzSeeds.orukSeeds
        case .sealedEvent: return SealedEventFuzz.seeds
        case .folderSync:
            return [FuzzSeeds.journal(events: 3), FuzzSeeds.journal(events: 12), Array(JournalFormat.encodeHeader(device: FuzzSeeds.device)),
                    Array(JournalFormat.encodeHeader(device: FuzzSeeds.device)) + FuzzSeeds.largeRecords]
        }
    }

    // MARK: Invariants

    /// Records and damage tile the file after the header, in order, without overlapping.
    static func checkScan(_ bytes: [UInt8]) throws {
        let scan = JournalScanner.scan(Data(bytes))
        guard scan.headerProblem == nil else {
            if !scan.records.isEmpty || !scan.damage.isEmpty { throw FuzzFailure("records reported for a file with a bad header") }
            return
        }
        var pieces: [(Range<Int>, Bool)] = scan.records.map { ($0.offset..<($0.offset + JournalFormat.recordHeaderSize + $0.payload.count), true) }
        pieces += scan.damage.map { ($0.range, false) }
        pieces.sort { $0.0.lowerBound < $1.0.lowerBound }
        var at = JournalFormat.headerSize
        for (range, _) in pieces {
            guard range.lowerBound == at, !range.isEmpty else { throw FuzzFailure("scan pieces do not tile the file at byte \(at): \(range)") }
            at = range.upperBound
        }
        guard at == bytes.count else { throw FuzzFailure("scan stops at \(at) of \(bytes.count) bytes") }
        for (i, d) in scan.damage.enumerated() where d.isTail != (d.range.upperBound == bytes.count) || (d.isTail && i != scan.damage.count - 1) {
            throw FuzzFailure("damage \(d) marked tail wrongly")
        }
        for r in scan.records {
            guard Array(bytes[(r.offset + JournalFormat.recordHeaderSize)...].prefix(r.payload.count)) == Array(r.payload) else {
                throw FuzzFailure("record at \(r.offset) payload differs from the file")
            }
            _ = try? Event.decode(r.payload)
        }
    }

    /// A date or NHS number that is accepted reads back the same from what it prints.
    static func checkField(_ bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        if let day = Day(text), Day("\(day)") != day || "\(day)" != text { throw FuzzFailure("date \(day) does not round-trip") }
        if bytes.count == 10, let day = bytes.withUnsafeBytes({ Day(utf8: $0) }), day != Day(text) { throw FuzzFailure("the two date parsers disagree") }
        if let n = NHSNumber(text), NHSNumber(n.digits) != n || NHSNumber("\(n)") != n { throw FuzzFailure("NHS number \(n) does not round-trip") }
        _ = try? ColumnMappingFile.parse(text, file: "fuzz.toml")
        _ = SpreadsheetDate.parse(text)
        _ = PatientStatus.parse(text)
        _ = SessionKind.parse(text)
        _ = ReferralReason.parse(text)
    }

    /// A spreadsheet either fails to parse or plans an import whose problems point into it.
    static func checkImportCSV(_ bytes: [UInt8]) throws {
        guard case .success(let table) = CSVTable.parse(Data(bytes)) else { return }
        let importer = CaseloadImport(state: FuzzSeeds.state, asOf: Day("2026-11-23")!, workerSlug: { $0.lowercased() })
        let plan = importer.plan(people: table, file: "people.csv", mapping: nil)
        let lines = Set(table.rows.map(\.line))
        for line in plan.rejectedLines where !lines.contains(line) { throw FuzzFailure("rejected line \(line) is not a row of the file") }
        if !plan.fileProblems.isEmpty, !plan.events.isEmpty { throw FuzzFailure("events planned despite problems with the file") }
    }

    /// Whatever the decoder accepts survives a round trip through the encoder unchanged.
    static func checkEvent(_ bytes: [UInt8]) throws {
        guard let event = try? bytes.withUnsafeBytes({ try Event.decode(bytes: $0) }) else { return }
        let again = try Event.decode(try event.encoded())
        guard again == event else { throw FuzzFailure("decoded event changes in a round trip") }
    }
}

/// Small valid inputs built from the demo caseload.
enum FuzzSeeds {
    static let device = UUID(uuidString: "00000000-0000-4000-8000-00000000f022")!

    static let events = DemoCaseload.events(patients: 3, seed: 5, asOf: Day("2026-11-23")!, device: device)

    static let eventPayloads: [Data] = events.compactMap { try? $0.encoded() }

    static let state = CaseloadState.fold(events)

    static let peopleSheets: [[UInt8]] = [
        "Name,NHS number,Date of birth,Referral date,Referred by,Source,Reasons,Worker,Status,Phone,Consent,Share with GP\r\n"
            + "Zoë Ó Súilleabháin,943 476 5919,1950-02-01,2026-11-01,Dr Hughes,GP,loneliness;housing,Amira Haddad,active,07700 900777,yes,no\r\n"
            + "\"Okafor, Ade\",,01/02/1961,23/11/2026,,self,\"money/debt\",,referred,,,\r\n",
        "Name,NHS number,Referral date\nAnn,943 476 5919,2026-11-01\nBob,999 000 0018,2026-11-02\n\"=cmd\",,31/12/2026\n",
    ].map { Array($0.utf8) }

    /// The Open Referral UK fixtures the CLI tests use, found beside the sources.
    static let orukDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Tests/CaseloadCLITests/Fixtures/oruk").standardized

    static let orukPackage: [String: Data] = {
        let dir = orukDirectory.appendingPathComponent("package-v1")
        var files: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] {
            files[name] = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path)
        }
        return files
    }()

    static let orukSeeds: [[UInt8]] = {
        var seeds = [orukPackage["datapackage.json"], FileManager.default.contents(atPath: orukDirectory.appendingPathComponent("services.json").path)]
            .compactMap { $0.map { [UInt8]($0) } }
        if seeds.isEmpty { seeds = [Array(#"{"content":[{"id":"x","name":"Walking group","status":"active"}]}"#.utf8)] }
        return seeds
    }()

    static func records(events n: Int) -> [UInt8] {
        var out: [UInt8] = []
        for p in eventPayloads.prefix(n) { JournalFormat.encodeRecord(p, into: &out) }
        return out
    }

    static func journal(events n: Int) -> [UInt8] { JournalFormat.encodeHeader(device: device) + records(events: n) }

    /// Inputs past 64 KiB: a few events, then a session whose escaped note (control characters)
    /// makes a record of about 1.2 MiB, across the streaming reader's 1 MiB chunk, then more events.
    static let largeRecords: [UInt8] = {
        var out = records(events: 3)
        let big = Event(id: UUID(uuidString: "00000000-0000-4000-8000-00000000b16e")!, device: device, seq: 4, clock: HLC(wallMillis: 1_790_000_000_000),
                        author: "amira", body: .sessionRecorded(SessionRecorded(sessionId: UUID(uuidString: "00000000-0000-4000-8000-00000000b16f")!,
                                                                                patientId: events[0].id, date: Day("2026-11-23")!, kind: .phone, minutes: 20,
                                                                                note: String(repeating: "Notes \u{1b}[2J\r\n", count: 60_000))))
        if let payload = try? big.encoded() { JournalFormat.encodeRecord(payload, into: &out) }
        for p in eventPayloads.dropFirst(3).prefix(4) { JournalFormat.encodeRecord(p, into: &out) }
        return out
    }()

    /// The shipped theme files, found beside the sources; one inline theme if they are not there.
    static let themes: [[UInt8]] = {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../themes").standardized
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".toml") }.sorted()
        let found = files.compactMap { FileManager.default.contents(atPath: dir.appendingPathComponent($0).path).map { [UInt8]($0) } }
        let inline = "# a theme\nname = \"x\"\ncolor = true\n[styles]\nselected = { fg = \"black\", bg = 153, bold = true }\n"
        return found.isEmpty ? [Array(inline.utf8)] : found
    }()
}

/// A data folder made once per process; each input replaces its journal's body.
final class JournalOpenFixture: @unchecked Sendable {
    static let shared = JournalOpenFixture()
    nonisolated(unsafe) static var made = false

    static func removeIfMade() {
        if made { try? FileManager.default.removeItem(at: shared.dir) }
    }
    let dir: URL
    let journalPath: String
    let device: UUID
    let header: [UInt8]

    private init() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("caseload-fuzz-\(getpid())-\(UUID().uuidString.prefix(6))")
        let store = try! DataDirectory.initialize(at: dir, workerName: "Fuzz Tester", team: nil)
        device = store.device
        journalPath = store.journalPath
        store.close()
        header = JournalFormat.encodeHeader(device: device)
        JournalOpenFixture.made = true
    }

    /// Opens the folder read-only and then for writing. Writing must refuse damage in the
    /// middle, and otherwise keep every valid record byte for byte while setting a torn tail
    /// aside. A failure to open must be an error, never a crash.
    func check(body: [UInt8]) throws {
        let journalDir = DataDirectory.journalDirectory(dir)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: journalDir.path)) ?? [] {
            try? FileManager.default.removeItem(at: journalDir.appendingPathComponent(name))
        }
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("snapshot.bin"))
        let bytes = header + body
        guard FileManager.default.createFile(atPath: journalPath, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw FuzzFailure("cannot write \(journalPath)")
        }
        let before = JournalScanner.scan(Data(bytes))
        if let reader = try? CaseloadStore.open(dataDirectory: dir, mode: .readOnly) { reader.close() }
        let store: CaseloadStore
        do {
            store = try CaseloadStore.open(dataDirectory: dir)
        } catch {
            if before.hasMiddleDamage { return }
            throw FuzzFailure("a journal without middle damage did not open: \(error)")
        }
        store.close()
        guard !before.hasMiddleDamage else { throw FuzzFailure("opened for writing despite damage in the middle") }
        let after = try JournalFile.read(path: journalPath)
        guard after.damage.isEmpty else { throw FuzzFailure("damage left after recovery: \(after.damage)") }
        guard after.records.count == before.records.count,
              zip(after.records, before.records).allSatisfy({ $0.offset == $1.offset && $0.payload == $1.payload }) else {
            throw FuzzFailure("recovery changed the valid records (\(before.records.count) before, \(after.records.count) after)")
        }
        if let tail = before.tornTail {
            let sides = ((try? FileManager.default.contentsOfDirectory(atPath: journalDir.path)) ?? []).filter { $0.contains(".torn-tail-") }
            let saved = sides.first.flatMap { FileManager.default.contents(atPath: journalDir.appendingPathComponent($0).path) }
            guard let saved, [UInt8](saved) == Array(bytes[tail.range]) else { throw FuzzFailure("the torn tail was not set aside intact") }
        }
    }
}

/// Our data folder and a shared folder, made once per process. Each input is another device's
/// file in the shared folder; a folder sync pulls it (read whole, or streamed when the input's
/// length is odd). Whatever the file holds, the sync may refuse it but must not crash, must
/// leave our own journal's records as they were, keep only valid records of the other device,
/// and leave a data folder that opens again.
final class FolderSyncFixture: @unchecked Sendable {
    static let shared = FolderSyncFixture()
    nonisolated(unsafe) static var made = false

    static func removeIfMade() {
        if made { try? FileManager.default.removeItem(at: shared.root) }
    }

    let root: URL
    let data: URL
    let folder: URL
    let ownJournalPath: String
    let ownJournal: Data
    let replicaPath: String

    private init() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("caseload-fuzz-sync-\(getpid())-\(UUID().uuidString.prefix(6))")
        data = root.appendingPathComponent("data")
        folder = root.appendingPathComponent("shared")
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try! DataDirectory.initialize(at: data, workerName: "Fuzz Tester", team: nil)
        ownJournalPath = store.journalPath
        store.close()
        ownJournal = FileManager.default.contents(atPath: ownJournalPath)!
        replicaPath = DataDirectory.journalPath(data, device: FuzzSeeds.device)
        FolderSyncFixture.made = true
    }

    func check(file bytes: [UInt8]) throws {
        // Back to the state before any sync: our journal alone, no snapshot, no sync record.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        let journalDir = DataDirectory.journalDirectory(data)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: journalDir.path)) ?? [] where journalDir.appendingPathComponent(name).path != ownJournalPath {
            try? FileManager.default.removeItem(at: journalDir.appendingPathComponent(name))
        }
        for name in ["snapshot.bin", "sync.json"] { try? FileManager.default.removeItem(at: data.appendingPathComponent(name)) }
        guard FileManager.default.createFile(atPath: ownJournalPath, contents: ownJournal, attributes: [.posixPermissions: 0o600]),
              FileManager.default.createFile(atPath: folder.appendingPathComponent("\(FuzzSeeds.device.lowercasedString).journal").path,
                                             contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw FuzzFailure("cannot write the fixture's files")
        }

        let store = try CaseloadStore.open(dataDirectory: data)
        let sync = FolderSync(store: store, folder: folder)
        if bytes.count % 2 == 1 { sync.wholeReadLimit = 0 }
        _ = try? sync.run()
        store.close()

        guard let after = FileManager.default.contents(atPath: ownJournalPath), after.starts(with: ownJournal) else {
            throw FuzzFailure("the sync changed our own journal's records")
        }
        if FileManager.default.fileExists(atPath: replicaPath) {
            let replica = try JournalFile.read(path: replicaPath)
            guard replica.damage.isEmpty else { throw FuzzFailure("the copy of the other device's events holds damage: \(replica.damage)") }
            var next: UInt64 = 1
            for record in replica.records {
                guard let e = try? Event.decode(record.payload), e.device == FuzzSeeds.device, e.seq == next else {
                    throw FuzzFailure("the copy of the other device's events holds a record out of order or not its own")
                }
                next += 1
            }
        }
        do { try CaseloadStore.open(dataDirectory: data).close() } catch {
            throw FuzzFailure("after the sync the data folder does not open: \(error)")
        }
    }
}
