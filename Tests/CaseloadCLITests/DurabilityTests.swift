import Foundation
import XCTest
import CaseloadCore
import CaseloadJournal

/// Saved means saved: kill the writer at random moments, damage the file byte by byte.
final class DurabilityTests: CLITestCase {
    /// SIGKILLs a process appending events in a loop, many times at random moments; after
    /// each kill, every event whose append had returned (been acknowledged) is there.
    func testEveryAcknowledgedEventSurvivesSIGKILL() throws {
        initialise()
        var rng = SeededRandom(seed: UInt64(Date().timeIntervalSince1970))
        var acknowledged = Set<UUID>()
        let rounds = 25
        for round in 0..<rounds {
            let p = Process()
            p.executableURL = CLI.binary
            p.arguments = ["debug-append", "--count", "100000", "--data-dir", data.path]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32(rng.int(20_000...250_000)))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
            for line in lines {
                let parts = line.split(separator: " ")
                // A line cut off by the kill is not an acknowledgement.
                if parts.count == 3, parts[0] == "acked", let id = UUID(uuidString: String(parts[2])) { acknowledged.insert(id) }
            }
            let store = try CaseloadStore.open(dataDirectory: data)
            let ids = Set(try store.ownEvents().map(\.id))
            let missing = acknowledged.subtracting(ids)
            XCTAssertTrue(missing.isEmpty, "round \(round): \(missing.count) acknowledged events lost")
            XCTAssertEqual(store.state.seqByDevice[store.device], store.lastSeq)
            store.close()
        }
        XCTAssertGreaterThan(acknowledged.count, rounds, "the writer got some appends in before each kill")
        let v = CLI.run(["verify"], dataDir: data)
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
    }

    /// Flips each byte of a small journal in turn: `caseload verify` reports damage every time.
    func testVerifyReportsEveryFlippedByte() throws {
        initialise()
        ok(["patient", "add", "--name", "Zoë"])
        let path = journalPath
        let clean = [UInt8](FileManager.default.contents(atPath: path)!)
        XCTAssertEqual(CLI.run(["verify"], dataDir: data).status, 0)
        var missed: [Int] = []
        for i in clean.indices {
            var b = clean
            b[i] ^= 0x10
            FileManager.default.createFile(atPath: path, contents: Data(b))
            let r = CLI.run(["verify", "--file", path])
            if r.status == 0 { missed.append(i) }
            XCTAssertFalse(r.stderr.contains("Fatal error"))
        }
        FileManager.default.createFile(atPath: path, contents: Data(clean))
        XCTAssertEqual(missed, [], "flips verify did not notice")
        XCTAssertEqual(CLI.run(["verify"], dataDir: data).status, 0)
    }
}
