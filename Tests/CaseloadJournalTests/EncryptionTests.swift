import XCTest
@testable import CaseloadJournal
@testable import CaseloadCrypto
import CaseloadCore

/// Sealed bodies at rest: what is in clear, what is sealed, and that changed bytes, a wrong
/// passphrase or a passphrase change behave as a user would expect.
final class EncryptionTests: XCTestCase {
    var dir: URL!
    let passphrase = Array("correct horse battery".utf8)
    let patientName = "Zebedee Quartermain"
    let note = "Worried about the bailiffs at Marigold Court"

    override func setUpWithError() throws {
        guard (try? Sodium.load()) != nil else { throw XCTSkip("libsodium is not installed (apt-get install libsodium23)") }
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("enc-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    func makeEncrypted() throws -> (CaseloadStore, UUID) {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira Haddad", team: "North",
                                                 encryption: try EncryptedCaseload.newKeys(passphrase: passphrase))
        let pid = UUID()
        try store.append([
            .patientReferred(PatientReferred(patientId: pid, name: patientName, nhsNumber: NHSNumber("9434765919"),
                                             referral: Referral(date: Day("2026-11-23")!, source: .gp, reasons: [.loneliness]))),
            .sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: pid, date: Day("2026-11-23")!, kind: .phone, minutes: 20, note: note)),
        ])
        return (store, pid)
    }

    func journalBytes() throws -> Data {
        let config = try DataDirectory.readConfig(dir)
        return try Data(contentsOf: URL(fileURLWithPath: DataDirectory.journalPath(dir, device: config.device)))
    }

    func testPlainCodecWritesTheBytesItAlwaysDid() throws {
        let e = Event(id: UUID(), device: UUID(), seq: 7, clock: HLC(wallMillis: 1_700_000_000_000, counter: 2), author: "amira",
                      body: .draftSaved(DraftSaved(draftId: UUID(), patientId: UUID(), date: Day("2026-11-23")!, kind: .phone, minutes: nil, text: note)))
        XCTAssertEqual(EventCodec.plain.payload(for: e)!, FastEventEncoder.encode(e))
        XCTAssertEqual(try EventCodec.plain.event(from: FastEventEncoder.encode(e)), e)
    }

    func testASealedRecordKeepsItsEnvelopeInClearAndItsBodySealed() throws {
        let (file, codec) = try EncryptedCaseload.newKeys(passphrase: passphrase)
        _ = file
        let e = Event(id: UUID(), device: UUID(), seq: 3, clock: HLC(wallMillis: 1_700_000_000_000, counter: 0), author: "amira-haddad",
                      body: .draftSaved(DraftSaved(draftId: UUID(), patientId: UUID(), date: Day("2026-11-23")!, kind: .phone, minutes: nil, text: note)))
        let payload = codec.payload(for: e)!
        let text = String(decoding: payload, as: UTF8.self)
        XCTAssertFalse(text.contains("Marigold"))
        XCTAssertTrue(text.hasPrefix(#"{"author":"amira-haddad","body":{"$sealed":""#), text)
        XCTAssertTrue(text.hasSuffix(#","seq":3,"type":"draft.saved"}"#), text)
        let envelope = try EventEnvelope.decode(payload)
        XCTAssertEqual(envelope.id, e.id); XCTAssertEqual(envelope.device, e.device)
        XCTAssertEqual(envelope.seq, 3); XCTAssertEqual(envelope.clock, e.clock); XCTAssertEqual(envelope.type, "draft.saved")
        XCTAssertEqual(try codec.event(from: payload), e)
        // The plain decoder cannot read it, and a plain record's envelope has no sealed value.
        XCTAssertThrowsError(try Event.decode(payload))
        XCTAssertNil(try EventEnvelope.decode(FastEventEncoder.encode(e)).sealed)
        // A registration stays in clear: the server's row-level security reads its team.
        let reg = Event(id: UUID(), device: e.device, seq: 1, clock: e.clock, author: "amira-haddad",
                        body: .workerRegistered(WorkerRegistered(workerId: "amira-haddad", name: "Amira Haddad", team: "North", role: nil)))
        XCTAssertEqual(codec.payload(for: reg)!, FastEventEncoder.encode(reg))
    }

    func testAnEnvelopeChangedOrSwappedAroundASealedBodyDoesNotOpen() throws {
        let (_, codec) = try EncryptedCaseload.newKeys(passphrase: passphrase)
        let device = UUID()
        func event(_ seq: UInt64) -> Event {
            Event(id: UUID(), device: device, seq: seq, clock: HLC(wallMillis: 1_700_000_000_000 + Int64(seq), counter: 0), author: "amira",
                  body: .sessionAmended(SessionAmended(sessionId: UUID(), note: note, basedOn: UUID())))
        }
        let one = String(decoding: codec.payload(for: event(1))!, as: UTF8.self)
        let two = String(decoding: codec.payload(for: event(2))!, as: UTF8.self)
        // Another author claimed around the same sealed body.
        XCTAssertThrowsError(try codec.event(from: Data(one.replacingOccurrences(of: #""author":"amira""#, with: #""author":"ben""#).utf8)))
        // Record 2's sealed body moved into record 1's envelope.
        let sealedTwo = try EventEnvelope.decode(Data(two.utf8)).sealed!
        let sealedOne = try EventEnvelope.decode(Data(one.utf8)).sealed!
        XCTAssertThrowsError(try codec.event(from: Data(one.replacingOccurrences(of: sealedOne, with: sealedTwo).utf8))) {
            XCTAssertEqual($0 as? SealError, .tampered)
        }
    }

    func testATamperedSealedBodyIsReportedAndNeverFolded() throws {
        let (store, pid) = try makeEncrypted()
        let path = store.journalPath
        store.close()
        // Change one character of the last record's sealed body and give the record a valid
        // checksum again: only the seal can tell.
        let scan = JournalScanner.scan(try journalBytes())
        let last = scan.records.last!
        var text = Array(last.payload)
        let at = text.count / 2
        text[at] = text[at] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        var bytes = Array(try journalBytes().prefix(last.offset))
        JournalFormat.encodeRecord(Data(text), into: &bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let reopened = try CaseloadStore.open(dataDirectory: dir, codec: try EncryptedCaseload.unlock(dir, passphrase: passphrase))
        XCTAssertNotNil(reopened.state.patients[pid], "the record before it still folds")
        XCTAssertTrue(reopened.state.sessions.isEmpty, "the tampered session is not folded")
        XCTAssertTrue(reopened.warnings.contains { $0.contains("could not be read as events") }, "\(reopened.warnings)")
        XCTAssertFalse(reopened.warnings.joined().contains("Marigold"))
        // Its seq is still taken: the next event does not reuse it.
        XCTAssertEqual(reopened.lastSeq, 3)
        reopened.close()
    }

    func testWrongOrMissingPassphraseOpensNothing() throws {
        let (store, _) = try makeEncrypted()
        store.close()
        XCTAssertThrowsError(try EncryptedCaseload.unlock(dir, passphrase: Array("not the passphrase".utf8))) {
            XCTAssertEqual($0 as? CryptoError, .wrongPassphrase)
        }
        XCTAssertThrowsError(try CaseloadStore.open(dataDirectory: dir)) {
            XCTAssertEqual($0 as? StoreError, .locked(dir.path))
        }
        XCTAssertThrowsError(try EncryptedCaseload.newKeys(passphrase: Array("short".utf8)))
    }

    /// A key file edited so its current key is not one it holds is a clear error, not a trap.
    func testAKeyFileNamingACurrentKeyItDoesNotHoldIsRefused() throws {
        let (store, _) = try makeEncrypted()
        store.close()
        let path = dir.appendingPathComponent("keys.json")
        let text = try String(contentsOf: path, encoding: .utf8)
        let current = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["current"] as? String)
        // Only the "current" field: the key itself keeps its id.
        let field = try XCTUnwrap(text.range(of: "\"current\""))
        let value = try XCTUnwrap(text.range(of: "\"\(current)\"", range: field.upperBound..<text.endIndex))
        try text.replacingCharacters(in: value, with: "\"no-such-key\"").write(to: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try EncryptedCaseload.unlock(dir, passphrase: passphrase)) { error in
            XCTAssertTrue("\(error)".contains("is not a caseload key file"), "\(error)")
        }
    }

    func testAPassphraseChangeRewritesOnlyTheKeyFileAndKeepsEverythingReadable() throws {
        let (store, pid) = try makeEncrypted()
        store.close()
        let before = try journalBytes()
        let keysBefore = try KeyFile.read(in: dir)
        let new = Array("a much longer new passphrase".utf8)
        try EncryptedCaseload.changePassphrase(dir, old: passphrase, new: new)
        XCTAssertEqual(try journalBytes(), before, "no record is sealed again")
        let keysAfter = try KeyFile.read(in: dir)
        XCTAssertNotEqual(keysAfter.kdf.salt, keysBefore.kdf.salt)
        XCTAssertEqual(keysAfter.current, keysBefore.current)
        XCTAssertThrowsError(try EncryptedCaseload.unlock(dir, passphrase: passphrase))
        let reopened = try CaseloadStore.open(dataDirectory: dir, codec: try EncryptedCaseload.unlock(dir, passphrase: new))
        XCTAssertEqual(reopened.state.patients[pid]?.name, patientName)
        XCTAssertEqual(reopened.state.sessions.values.first?.note, note)
        reopened.close()
        // A wrong old passphrase changes nothing.
        XCTAssertThrowsError(try EncryptedCaseload.changePassphrase(dir, old: passphrase, new: Array("yet another passphrase".utf8)))
        XCTAssertEqual(try KeyFile.read(in: dir), keysAfter)
    }
}

extension EncryptionTests {
    func testTheEditorFileOfAnEncryptedCaseloadIsInMemoryNotInTheDataFolder() throws {
        let (store, pid) = try makeEncrypted()
        defer { store.close() }
        let draftId = UUID()
        try store.append([.draftSaved(DraftSaved(draftId: draftId, patientId: pid, date: Day("2026-11-23")!, kind: .phone, minutes: nil, text: "first"))])
        let memory = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: memory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: memory) }
        let folder = EditorNoteFile.directory(dir, environment: ["XDG_RUNTIME_DIR": memory.path])
        XCTAssertTrue(folder.path.hasPrefix(memory.path), folder.path)
        XCTAssertFalse(folder.path.contains(dir.lastPathComponent))
        // A plain caseload keeps it in its own folder, as before.
        XCTAssertEqual(EditorNoteFile.directory(memory, environment: ["XDG_RUNTIME_DIR": memory.path]).lastPathComponent, "editing")
        // The real path (the app's environment): written, private, and brought back after a kill.
        let path = try EditorNoteFile.create("typed in the editor about Ophelia", dataDirectory: dir, draftId: draftId)
        if EditorNoteFile.memoryFolder(ProcessInfo.processInfo.environment) != nil { XCTAssertFalse(path.hasPrefix(dir.path), path) }
        XCTAssertEqual(EditorNoteFile.recover(into: store).count, 1)
        XCTAssertEqual(store.state.drafts[draftId]?.text, "typed in the editor about Ophelia")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }
}

extension EncryptionTests {
    func testAnEncryptedCaseloadOpensFromItsSealedSnapshotAndIgnoresOneThatDoesNotOpen() throws {
        let (store, pid) = try makeEncrypted()
        try store.append((0..<1_001).map { i in .goalSet(GoalSet(goalId: UUID(), patientId: pid, text: "goal \(i) about Ophelia", date: Day("2026-11-23")!)) })
        store.close()
        let sealed = dir.appendingPathComponent(SnapshotFile.sealedName)
        let bytes = try Data(contentsOf: sealed)
        XCTAssertNil(bytes.range(of: Data("Ophelia".utf8)))
        XCTAssertFalse(FileManager.default.fileExists(atPath: SnapshotFile.path(in: dir)))
        let codec = try EncryptedCaseload.unlock(dir, passphrase: passphrase)
        let warm = try CaseloadStore.open(dataDirectory: dir, codec: codec)
        XCTAssertTrue(warm.loadedFromSnapshot)
        XCTAssertEqual(warm.state.goals.count, 1_001)
        warm.close()
        // One changed byte: the seal fails, the snapshot is ignored, the journals are folded.
        var changed = bytes
        changed[changed.count / 2] ^= 1
        try changed.write(to: sealed)
        let cold = try CaseloadStore.open(dataDirectory: dir, codec: codec)
        XCTAssertFalse(cold.loadedFromSnapshot)
        XCTAssertEqual(cold.state.goals.count, 1_001)
        cold.close()
    }
}
