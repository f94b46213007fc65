import Foundation
import XCTest
import CaseloadCore
import CaseloadJournal

/// The real binary against a shared folder holding a poisoned clock and a clock from 2100.
final class HostileSyncCLITests: CLITestCase {
    var stick: URL { root.appendingPathComponent("stick") }

    func testAPoisonedCounterAndAClockFromTheFutureNeitherCrashNorSpread() throws {
        try FileManager.default.createDirectory(at: stick, withIntermediateDirectories: true)
        initialise()
        let mallory = UUID()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let year2100: Int64 = 4_102_444_800_000
        func referral(_ seq: UInt64, _ clock: HLC) throws -> Data {
            try Event(id: UUID(), device: mallory, seq: seq, clock: clock, author: "mallory",
                      body: .patientReferred(PatientReferred(patientId: UUID(), name: "P\(seq)", referral: Referral(date: Day(asOf)!, source: .gp, reasons: [])))).encoded()
        }
        let file = try JournalFile(path: stick.appendingPathComponent("\(mallory.uuidString.lowercased()).journal").path, device: mallory)
        try file.append([try referral(1, HLC(wallMillis: year2100)), try referral(2, HLC(wallMillis: now, counter: 4_294_967_295))])
        file.close()

        let sync = CLI.run(["sync", "folder", stick.path], dataDir: data)
        XCTAssertEqual(sync.status, 0, sync.stderr)
        XCTAssertTrue(sync.stderr.contains("not a readable event"), sync.stderr)
        XCTAssertTrue(sync.stderr.contains("device \(mallory.uuidString.lowercased()) sent events dated up to 2100-01-01"), sync.stderr)
        // Every later write used to trap in HLC.tick (SIGILL).
        let added = jsonObject(["patient", "add", "--name", "Mrs Begum", "--json"])
        XCTAssertNotNil(added["id"])
        let own = try DataDirectory.readConfig(data).device
        let mine = try JournalFile.read(path: DataDirectory.journalPath(data, device: own)).records.compactMap { try? Event.decode($0.payload) }
        XCTAssertTrue(mine.allSatisfy { $0.clock.wallMillis < now + 3_600_000 }, "no event of ours is dated in 2100")
        let verify = CLI.run(["verify"], dataDir: data)
        XCTAssertNotEqual(verify.status, 0)
        XCTAssertTrue(verify.stdout.contains("ahead of this computer's clock: device \(mallory.uuidString.lowercased())"), verify.stdout)
    }
}
