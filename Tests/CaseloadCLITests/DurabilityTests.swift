import Foundation
import XCTest
import CaseloadCore
import CaseloadJournal
import CaseloadCrypto

/// Saved means saved: kill the writer at random moments, damage the file byte by byte.
final class DurabilityTests: CLITestCase {
    /// SIGKILLs a process appending events in a loop, many times at random moments (some
    /// while it is still opening and recovering from the previous kill); after each kill,
    /// every event whose append had returned (been acknowledged) is there and `verify` is
    /// happy. `CASELOAD_CRASH_ROUNDS` (default 25) and `CASELOAD_CRASH_SEED` (printed) for more.
    func testEveryAcknowledgedEventSurvivesSIGKILL() throws {
        // A small caseload first, so followups.idx has follow-ups to get wrong.
        ok(["demo", "--patients", "20", "--as-of", asOf])
        try crashHarness(codec: .plain, environment: [:])
    }

    /// The same harness on an encrypted caseload: sealed records and the sealed snapshot.
    func testEveryAcknowledgedEventSurvivesSIGKILLEncrypted() throws {
        guard (try? Sodium.load()) != nil else { throw XCTSkip("libsodium is not installed (apt-get install libsodium23)") }
        let pass = root.appendingPathComponent("pass")
        try "crash harness passphrase\n".write(to: pass, atomically: true, encoding: .utf8)
        let environment = ["CASELOAD_PASSPHRASE_FILE": pass.path]
        XCTAssertEqual(CLI.run(["init", "--encrypt", "--worker", "Amira Haddad"], dataDir: data, environment: environment).status, 0)
        try crashHarness(codec: try EncryptedCaseload.unlock(data, passphrase: Array("crash harness passphrase".utf8)), environment: environment)
    }

    func crashHarness(codec: EventCodec, environment: [String: String]) throws {
        var indexChecked = 0
        let env = ProcessInfo.processInfo.environment
        let seed = UInt64(env["CASELOAD_CRASH_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)
        let rounds = Int(env["CASELOAD_CRASH_ROUNDS"] ?? "") ?? 25
        print("crash harness: \(rounds) SIGKILL rounds, CASELOAD_CRASH_SEED=\(seed)")
        var rng = SeededRandom(seed: seed)
        var acknowledged = Set<UUID>()
        for round in 0..<rounds {
            let p = Process()
            p.executableURL = CLI.bench
            p.arguments = ["debug-append", "--count", "100000", "--data-dir", data.path]
            p.environment = env.merging(environment) { $1 }
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            // Even rounds kill at a random moment from the start (often while the writer is
            // still opening and recovering from the last kill); odd rounds at a random moment
            // after its first acknowledgement, so a slow start on a loaded machine still
            // leaves kills that land among appends.
            var output = Data()
            if round % 2 == 1 { output = readUntilFirstAcknowledgement(out.fileHandleForReading, timeoutSeconds: 60) }
            usleep(UInt32(rng.int(2_000...250_000)))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            output.append(out.fileHandleForReading.readDataToEndOfFile())
            let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
            for line in lines {
                let parts = line.split(separator: " ")
                // A line cut off by the kill is not an acknowledgement.
                if parts.count == 3, parts[0] == "acked", let id = UUID(uuidString: String(parts[2])) { acknowledged.insert(id) }
            }
            // followups.idx, whenever it says it is current after a kill, gives exactly the
            // overdue list of the journal folded alone.
            if let digest = CaseloadStore.currentFollowupDigest(dataDirectory: data) {
                let journalOnly = root.appendingPathComponent("journal-only")
                try? FileManager.default.removeItem(at: journalOnly)
                try FileManager.default.copyItem(at: data, to: journalOnly)
                for cache in ["snapshot.bin", "snapshot.sealed", "followups.idx"] { try? FileManager.default.removeItem(at: journalOnly.appendingPathComponent(cache)) }
                let fold = try CaseloadStore.open(dataDirectory: journalOnly, mode: .readOnly, codec: codec).state
                for days in [-30, 0, 30] {
                    let day = Day(asOf)!.adding(days: days)
                    XCTAssertEqual(digest.overdue(asOf: day), fold.overdue(asOf: day), "round \(round): followups.idx disagrees with the journal")
                }
                XCTAssertFalse(fold.overdue(asOf: Day(asOf)!.adding(days: 30)).isEmpty)
                indexChecked += 1
            }
            let store = try CaseloadStore.open(dataDirectory: data, codec: codec)
            let ids = Set(try store.ownEvents().map(\.id))
            let missing = acknowledged.subtracting(ids)
            XCTAssertTrue(missing.isEmpty, "round \(round): \(missing.count) acknowledged events lost")
            XCTAssertEqual(store.state.seqByDevice[store.device], store.lastSeq)
            // Kills also land while the snapshot cache is written: what opens (snapshot plus
            // journal tail) must be exactly what folding the journal alone gives.
            let copy = root.appendingPathComponent("without-snapshot")
            try? FileManager.default.removeItem(at: copy)
            try FileManager.default.copyItem(at: data, to: copy)
            try? FileManager.default.removeItem(at: copy.appendingPathComponent("snapshot.bin"))
            try? FileManager.default.removeItem(at: copy.appendingPathComponent("snapshot.sealed"))
            let folded = try CaseloadStore.open(dataDirectory: copy, mode: .readOnly, codec: codec)
            XCTAssertTrue(folded.state == store.state, "round \(round): the state opened with the snapshot differs from the journal's fold")
            if round == 0 || round == rounds - 1 { print("crash harness: round \(round) opened from snapshot: \(store.loadedFromSnapshot)") }
            folded.close()
            // Written now (as `overdue` does after opening): the next kill lands on a current
            // followups.idx, which the check above then catches if it is wrongly believed.
            store.writeFollowupIndex()
            store.close()
            let v = CLI.run(["verify"], dataDir: data, environment: environment)
            XCTAssertEqual(v.status, 0, "round \(round): \(v.stdout) \(v.stderr)")
        }
        print("crash harness: \(acknowledged.count) acknowledged events, all present after \(rounds) kills; followups.idx current and checked after \(indexChecked)")
        XCTAssertGreaterThan(acknowledged.count, rounds, "the writer got some appends in before each kill")
        let v = CLI.run(["verify"], dataDir: data, environment: environment)
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
    }

    /// What the writer printed up to and including its first "acked" line (or all it printed
    /// within the timeout, if it never acknowledged anything).
    private func readUntilFirstAcknowledgement(_ handle: FileHandle, timeoutSeconds: Double) -> Data {
        var output = Data()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var pending = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
        while Date() < deadline, !String(decoding: output, as: UTF8.self).contains("acked ") {
            guard poll(&pending, 1, 100) > 0 else { continue }
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            output.append(chunk)
        }
        return output
    }

    /// A torn write, end to end: a real caseload's journal cut at every byte of its last
    /// record (a crash mid-write) opens with every event of the earlier, acknowledged writes
    /// and none of the interrupted one (the session and its status change are one write: all
    /// or nothing), sets the cut bytes aside, takes new changes, and `caseload verify` finds
    /// nothing wrong afterwards.
    func testJournalCutAtEveryByteOfTheLastRecordRecoversEveryEarlierEvent() throws {
        initialise()
        ok(["patient", "add", "--name", "Zoë Ó Súilleabháin", "--nhs-number", "9990000026", "--followup", "2026-12-01"])
        let patient = jsonArray(["patient", "list"])[0]["id"] as! String
        // --keep-followup: the write is the session and its status change alone, whatever today is.
        ok(["session", "add", patient, "--note", "Walked to the allotment; 😀 wants to go again. 王小明 came too.", "--keep-followup"])
        let full = [UInt8](FileManager.default.contents(atPath: journalPath)!)
        let records = try JournalFile.read(path: journalPath).records
        let lastStart = try XCTUnwrap(records.last?.offset)
        // The last write began after the last record not marked "more follows" (bit 31 of the
        // length word) before the final one; everything before it was acknowledged.
        let marked = records.map { full[$0.offset + 3] & 0x80 != 0 }
        var writeStart = records.count - 1
        while writeStart > 0, marked[writeStart - 1] { writeStart -= 1 }
        XCTAssertEqual(records.count - writeStart, 2, "the session and the status change are one write")
        let earlier = Set(try records[..<writeStart].map { try Event.decode($0.payload).id })
        XCTAssertGreaterThan(earlier.count, 2)
        let config = FileManager.default.contents(atPath: data.appendingPathComponent("caseload.json").path)!
        let name = (journalPath as NSString).lastPathComponent
        for cut in lastStart..<full.count {
            let copy = root.appendingPathComponent("cut-\(cut)")
            let journalDir = copy.appendingPathComponent("journal")
            try FileManager.default.createDirectory(at: journalDir, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: copy.appendingPathComponent("caseload.json").path, contents: config)
            FileManager.default.createFile(atPath: journalDir.appendingPathComponent(name).path, contents: Data(full[..<cut]))

            let store = try CaseloadStore.open(dataDirectory: copy)
            XCTAssertEqual(Set(try store.ownEvents().map(\.id)), earlier, "cut at \(cut): exactly the acknowledged events")
            XCTAssertEqual(store.state.patients.count, 1)
            XCTAssertTrue(store.warnings.contains { $0.contains("cut short") }, "cut at \(cut): the recovery is reported: \(store.warnings)")
            let sides = try FileManager.default.contentsOfDirectory(atPath: journalDir.path).filter { $0.contains("interrupted-write") }
            XCTAssertEqual(sides.count, 1, "cut at \(cut): the interrupted write is set aside")
            _ = try store.append([.serviceAdded(ServiceAdded(serviceId: UUID(), name: "after cut \(cut)"))])
            store.close()
            let v = CLI.run(["verify"], dataDir: copy)
            XCTAssertEqual(v.status, 0, "cut at \(cut): \(v.stdout) \(v.stderr)")
            try FileManager.default.removeItem(at: copy)
        }
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

    /// Power lost inside a big write, end to end: a 1,500-person `import caseload` whose journal
    /// write lost one 4 KiB page (first, last, or one inside) or was cut short at random bytes.
    /// The next command opens with only what was acknowledged before the import (never part of
    /// it), says to run the import again, stays writable, and `verify` is happy.
    func testPowerLostInsideAnImportDropsItWholeEndToEnd() throws {
        initialise()
        ok(["patient", "add", "--name", "Before the import"])
        let before = try XCTUnwrap(FileManager.default.contents(atPath: journalPath))
        let sheet = root.appendingPathComponent("people.csv")
        let rows = ["Name,Referral date"] + (0..<1500).map { "Person \($0),2026-11-01" }
        try Data(rows.joined(separator: "\r\n").utf8).write(to: sheet)
        XCTAssertTrue(ok(["import", "caseload", sheet.path]).stdout.contains("Imported 1500 people"))
        let after = try XCTUnwrap(FileManager.default.contents(atPath: journalPath))
        let config = try XCTUnwrap(FileManager.default.contents(atPath: data.appendingPathComponent("caseload.json").path))
        let name = (journalPath as NSString).lastPathComponent
        let firstPage = (before.count + 4095) / 4096 * 4096
        let pages = (after.count - firstPage) / 4096
        XCTAssertGreaterThan(pages, 10)
        var rng = SeededRandom(seed: UInt64(ProcessInfo.processInfo.environment["CASELOAD_CRASH_SEED"] ?? "") ?? 12)
        var damaged: [(String, Data)] = []
        for page in [0, pages - 1, rng.int(1...(pages - 2)), rng.int(1...(pages - 2))] {
            var bytes = after
            let start = firstPage + page * 4096
            bytes.replaceSubrange(start..<start + 4096, with: Data(count: 4096))
            damaged.append(("page \(page) missing", bytes))
        }
        for _ in 0..<4 {
            let cut = rng.int((before.count + 200)...(after.count - 1))
            damaged.append(("cut at \(cut)", after.prefix(cut)))
        }
        for (what, bytes) in damaged {
            let copy = root.appendingPathComponent("power-\(UUID().uuidString.prefix(8))")
            let journalDir = copy.appendingPathComponent("journal")
            try FileManager.default.createDirectory(at: journalDir, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: copy.appendingPathComponent("caseload.json").path, contents: config)
            FileManager.default.createFile(atPath: journalDir.appendingPathComponent(name).path, contents: bytes)
            let added = CLI.run(["patient", "add", "--name", "After the crash"], dataDir: copy)
            XCTAssertEqual(added.status, 0, "\(what): \(added.stderr)")
            XCTAssertTrue(added.stderr.contains("Run that import or sync again"), "\(what): \(added.stderr)")
            let names = (CLI.run(["patient", "list", "--json"], dataDir: copy).json as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            XCTAssertEqual(names.sorted(), ["After the crash", "Before the import"], "\(what): none of the import, not part of it")
            let v = CLI.run(["verify"], dataDir: copy)
            XCTAssertEqual(v.status, 0, "\(what): \(v.stdout) \(v.stderr)")
            try FileManager.default.removeItem(at: copy)
        }
    }
}
