import CaseloadFuzz
import Foundation
import XCTest

/// Seeded random mutation of every parser of outside input, for a bounded time:
/// `CASELOAD_FUZZ_SECONDS` in all (default 20, shared between the targets), from
/// `CASELOAD_FUZZ_SEED` (default: the time, printed so a failure can be run again).
/// A crash stops the test process; rerun with the printed seed to reproduce it, then add the
/// input under FuzzRegressions/<target>/. libFuzzer runs the same targets: `scripts/fuzz`.
final class FuzzTests: XCTestCase {
    static let environment = ProcessInfo.processInfo.environment
    static let totalSeconds = Double(environment["CASELOAD_FUZZ_SECONDS"] ?? "") ?? 20
    static let seed = UInt64(environment["CASELOAD_FUZZ_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)

    /// How the total is shared: the journal-open target does file I/O per input, so it gets
    /// a larger share of the time for its far fewer inputs.
    static let share: [FuzzTarget: Double] = [.journalScan: 0.15, .journalOpen: 0.2, .event: 0.15, .stateSnapshot: 0.1, .theme: 0.1, .field: 0.1,
                                         .importCSV: 0.1, .importORUK: 0.1, .folderSync: 0.15, .followupIndex: 0.05, .sealedEvent: 0.1]

    override class func tearDown() { FuzzTarget.removeTemporaryFiles() }

    func fuzz(_ target: FuzzTarget) throws {
        let seconds = Self.totalSeconds * (Self.share[target] ?? 0.2)
        let seed = Self.seed ^ UInt64(truncatingIfNeeded: target.rawValue.utf8.reduce(0) { $0 &* 31 &+ Int($1) })
        print("fuzz \(target.rawValue): seed \(seed) (CASELOAD_FUZZ_SEED=\(Self.seed)), \(String(format: "%.1f", seconds)) s")
        for s in target.seeds { try target.run(s) }
        // Every seed runs once above; the mutator starts from the small ones, so a bounded run
        // tries many inputs (libFuzzer, unbounded, mutates the large ones too).
        let small = target.seeds.filter { $0.count <= 64 << 10 }
        var mutator = Mutator(seed: seed, seeds: small.isEmpty ? target.seeds : small)
        let deadline = Date().addingTimeInterval(seconds)
        var runs = 0, failures = 0
        while Date() < deadline {
            for _ in 0..<50 {
                let input = mutator.next()
                runs += 1
                do { try target.run(input) } catch {
                    failures += 1
                    XCTFail("\(target.rawValue) input #\(runs) (seed \(seed)): \(error)\ninput base64: \(Data(input).base64EncodedString())")
                    if failures >= 3 { return }
                }
            }
        }
        print("fuzz \(target.rawValue): \(runs) inputs, \(failures) failures")
        XCTAssertGreaterThan(runs, 0)
    }

    func testJournalScanner() throws { try fuzz(.journalScan) }
    func testJournalOpenAndRecovery() throws { try fuzz(.journalOpen) }
    func testEventDecoder() throws { try fuzz(.event) }
    func testStateSnapshotDecoder() throws { try fuzz(.stateSnapshot) }
    func testFollowupIndexFile() throws { try fuzz(.followupIndex) }
    func testThemeParser() throws { try fuzz(.theme) }
    func testTypedFields() throws { try fuzz(.field) }
    func testPeopleSpreadsheetImport() throws { try fuzz(.importCSV) }
    func testOpenReferralImport() throws { try fuzz(.importORUK) }
    func testFolderSyncOfAnotherDevicesFile() throws { try fuzz(.folderSync) }
    func testSealedEventOpening() throws { try fuzz(.sealedEvent) }

    /// The journal readers and folder sync are fuzzed from inputs past libFuzzer's old 64 KiB cap: a record of
    /// over 1 MiB crosses the streaming reader's chunk boundary (scripts/fuzz lets these two
    /// targets grow to 4 MiB).
    func testTheJournalTargetsStartFromInputsLargerThan64KiB() throws {
        for target in [FuzzTarget.journalScan, .journalOpen, .folderSync] {
            let largest = target.seeds.map(\.count).max() ?? 0
            XCTAssertGreaterThan(largest, 1 << 20, "\(target.rawValue): largest seed \(largest) bytes")
            if let seed = target.seeds.first(where: { $0.count == largest }) { try target.run(seed) }
        }
        let script = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/fuzz"), encoding: .utf8)
        XCTAssertTrue(script.contains("journal-scan|journal-open|folder-sync) max_len=${FUZZ_MAX_LEN:-4194304}"), "scripts/fuzz lets the journal and sync targets grow past 64 KiB")
    }

    /// Every input a fuzzer once crashed on (FuzzRegressions/<target>/*) now runs cleanly.
    func testRegressionInputs() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzRegressions")
        var count = 0
        for target in FuzzTarget.allCases {
            let dir = root.appendingPathComponent(target.rawValue)
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() {
                let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))
                XCTAssertNoThrow(try target.run(bytes), "\(target.rawValue)/\(name)")
                count += 1
            }
        }
        print("fuzz regressions: \(count) inputs")
    }
}
