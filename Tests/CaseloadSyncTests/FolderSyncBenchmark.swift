import XCTest
@testable import CaseloadSync
import CaseloadJournal
import CaseloadCore

/// `CASELOAD_BENCH=1 swift test -c release --filter FolderSyncBenchmark`: pushes 100,000
/// events to a folder, pulls them into an empty device, then re-syncs with nothing new.
/// Goals: under 5 s, under 5 s, under 100 ms.
final class FolderSyncBenchmark: XCTestCase {
    func testPushPullAndNoOpOf100kEvents() throws {
        guard ProcessInfo.processInfo.environment["CASELOAD_BENCH"] == "1" else {
            throw XCTSkip("set CASELOAD_BENCH=1 to run the folder sync benchmark")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fsb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("stick")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let a = try DataDirectory.initialize(at: root.appendingPathComponent("a"), workerName: "Amira", team: "North")
        let items = DemoCaseload.generate(patients: 3_200, seed: 1, asOf: Day("2026-11-23")!)
        var pending = items.prefix(100_000 - 2).map(\.pending)
        while !pending.isEmpty {
            try a.append(Array(pending.prefix(20_000)))
            pending.removeFirst(min(20_000, pending.count))
        }
        let b = try DataDirectory.initialize(at: root.appendingPathComponent("b"), workerName: "Ben", team: "North")

        func time(_ label: String, _ body: () throws -> SyncReport) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            let report = try body()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print(String(format: "folder sync benchmark: %@: %.3f s (%@)", label, seconds, report.summary))
            return seconds
        }
        let push = try time("push \(a.lastSeq) events to an empty folder") { try FolderSync(store: a, folder: folder).run() }
        let pull = try time("pull them into an empty device") { try FolderSync(store: b, folder: folder).run() }
        // The sender takes in the receiver's registration and sync record (a re-fold: they sort
        // before its newest events), then both re-sync with nothing new.
        _ = try time("sending device takes in the 2 events of the other") { try FolderSync(store: a, folder: folder).run() }
        let noOpB = try time("no-op re-sync, receiving device") { try FolderSync(store: b, folder: folder).run() }
        let noOpA = try time("no-op re-sync, sending device") { try FolderSync(store: a, folder: folder).run() }
        XCTAssertEqual(b.state.eventCount, 100_002, "a's 100,000 and b's registration and sync record")
        XCTAssertEqual(b.state, a.state)
        print(String(format: "folder sync benchmark: goals push < 5 s (%.2f), pull < 5 s (%.2f), no-op < 0.1 s (%.3f, %.3f)", push, pull, noOpB, noOpA))
    }
}
