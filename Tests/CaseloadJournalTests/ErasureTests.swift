import XCTest
@testable import CaseloadJournal
@testable import CaseloadCrypto
import CaseloadCore

/// Erasure on an encrypted caseload: the person's key destroyed, their records opening redacted
/// ever after (here, after a reopen, after a restored key file), the state the same as a fold of
/// the redacted records, and every way of writing about them again refused.
final class ErasureTests: XCTestCase {
    var dir: URL!
    let passphrase = Array("correct horse battery".utf8)
    let day = Day("2026-11-23")!
    let secrets = ["Zebedee", "Quartermain", "9434765919", "07700 900123", "Lantern Row", "Dr Kestrel", "referral about debts",
                   "bailiffs at Marigold", "amended about Marigold", "draft about Ophelia", "walk to the allotment", "was moving house",
                   "housing officer", "left the group", "Nightingale", "mother's flat", "she asked", "landlord threats", "resolved with Harbour"]

    override func setUpWithError() throws {
        guard (try? Sodium.load()) != nil else { throw XCTSkip("libsodium is not installed (apt-get install libsodium23)") }
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("erase-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    func open() throws -> CaseloadStore {
        try CaseloadStore.open(dataDirectory: dir, codec: try EncryptedCaseload.unlock(dir, passphrase: passphrase))
    }

    /// A person with every personal field filled, and a second person who is kept.
    func makeCaseload() throws -> (CaseloadStore, erased: UUID, kept: UUID) {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira Haddad", team: "North",
                                                 encryption: try EncryptedCaseload.newKeys(passphrase: passphrase))
        let p = UUID(), kept = UUID(), session = UUID(), goal = UUID(), f1 = UUID(), f2 = UUID(), risk = UUID(), conn = UUID(), service = UUID()
        try store.append([
            .patientReferred(PatientReferred(patientId: p, name: "Zebedee Quartermain", preferredName: "Zeb", dateOfBirth: Day("1950-02-03"),
                                             nhsNumber: NHSNumber("9434765919"), phone: "07700 900123", address: "12 Lantern Row",
                                             referral: Referral(date: day, source: .gp, referrer: "Dr Kestrel", reasons: [.loneliness, .moneyDebt], text: "referral about debts"))),
            .patientReferred(PatientReferred(patientId: kept, name: "Olive Thistlewood", referral: Referral(date: day, source: .gp, reasons: [.loneliness]))),
            .sessionRecorded(SessionRecorded(sessionId: session, patientId: p, date: day, kind: .phone, minutes: 20, note: "bailiffs at Marigold")),
            .sessionAmended(SessionAmended(sessionId: session, note: "amended about Marigold", basedOn: UUID())),
            .draftSaved(DraftSaved(draftId: UUID(), patientId: p, date: day, kind: .phone, minutes: nil, text: "draft about Ophelia")),
            .goalSet(GoalSet(goalId: goal, patientId: p, text: "walk to the allotment", date: day)),
            .goalProgressed(GoalProgressed(goalId: goal, score: 6, date: day)),
            .measureRecorded(MeasureRecorded(measureId: UUID(), patientId: p, instrument: .ucla3, answers: [2, 2, 3], date: day)),
            .followupScheduled(FollowupScheduled(followupId: f1, patientId: p, due: day.adding(days: 7), reason: "was moving house", worker: nil)),
            .followupRescheduled(FollowupRescheduled(followupId: f1, due: day.adding(days: 9), reason: "housing officer", date: day)),
            .followupScheduled(FollowupScheduled(followupId: f2, patientId: p, due: day.adding(days: 3), reason: nil, worker: nil)),
            .followupCancelled(FollowupCancelled(followupId: f2, date: day, reason: "left the group")),
            .serviceAdded(ServiceAdded(serviceId: service, name: "Walking group", details: ServiceDetails())),
            .connectionMade(ConnectionMade(connectionId: conn, patientId: p, serviceId: service, stage: .suggested, accompanied: false, date: day)),
            .connectionStageChanged(ConnectionStageChanged(connectionId: conn, stage: .droppedOut, date: day, reason: "Nightingale")),
            .riskRecorded(RiskRecorded(riskId: risk, patientId: p, kind: .safeguarding, note: "landlord threats", raisedWith: "mother's flat", date: day)),
            .riskResolved(RiskResolved(riskId: risk, date: day, reason: "resolved with Harbour")),
            .patientStatusChanged(PatientStatusChanged(patientId: p, status: .discharged, date: day, reason: "she asked")),
        ])
        return (store, p, kept)
    }

    /// Everything personal the state holds, as text (for "none of the secrets").
    func personalText(_ s: CaseloadState) -> String {
        var out = ""
        dump(s, to: &out)
        return out
    }

    func testAfterErasureNothingPersonalOpensAndTheStateIsTheFoldOfTheRedactedRecords() throws {
        var (store, p, kept) = try makeCaseload()
        let before = store.state
        for s in ["Zebedee", "bailiffs at Marigold", "landlord threats"] { XCTAssertTrue(personalText(before).contains(s), s) }
        try store.append(Rules.erase(patientId: p, reason: "erasure request", state: store.state, context: RuleContext(asOf: day, actor: store.workerId)).get())
        let erasedInPlace = store.state
        XCTAssertNotNil(erasedInPlace.patients[p]?.erasure)
        XCTAssertEqual(erasedInPlace.patients[kept]?.name, "Olive Thistlewood")
        for s in secrets { XCTAssertFalse(personalText(erasedInPlace).contains(s), "the state still holds '\(s)'") }
        store.close()

        // A cold open (no snapshot) reads the records redacted: the same state as the fold of the erasure.
        for name in [SnapshotFile.name, SnapshotFile.sealedName] { try? FileManager.default.removeItem(at: dir.appendingPathComponent(name)) }
        store = try open()
        XCTAssertFalse(store.loadedFromSnapshot)
        XCTAssertEqual(store.state.patients, erasedInPlace.patients)
        XCTAssertEqual(store.state.sessions, erasedInPlace.sessions)
        XCTAssertEqual(store.state.goals, erasedInPlace.goals)
        XCTAssertEqual(store.state.followups, erasedInPlace.followups)
        XCTAssertEqual(store.state.connections, erasedInPlace.connections)
        XCTAssertEqual(store.state.risks, erasedInPlace.risks)
        XCTAssertEqual(store.state.drafts, erasedInPlace.drafts)
        // Every record of the journal, read with the passphrase, holds none of it either.
        var read = ""
        try store.forEachOwnEvent { dump($0, to: &read) }
        for s in secrets { XCTAssertFalse(read.contains(s), "a record still opens to '\(s)'") }
        XCTAssertTrue(read.contains("Olive Thistlewood"), "the person kept still reads")
        // Reports still count them: their measure, their session, their referral.
        XCTAssertEqual(store.state.measures.values.filter { $0.patientId == p }.count, 1)
        XCTAssertEqual(store.state.sessions.values.filter { $0.patientId == p }.count, 1)
        XCTAssertEqual(store.state.patients.count, 2)
        store.close()
    }

    func testAKeyFileRestoredFromBeforeTheErasureIsScrubbedOnTheNextOpen() throws {
        let (store, p, _) = try makeCaseload()
        let keyFile = dir.appendingPathComponent(PersonKeyFile.name)
        let old = try Data(contentsOf: keyFile)
        try store.append(Rules.erase(patientId: p, reason: "erasure request", state: store.state, context: RuleContext(asOf: day)).get())
        store.close()
        // A crash between the erasure and the key file's rewrite leaves this, as a restore does.
        try old.write(to: keyFile)
        let again = try open()
        defer { again.close() }
        let sealer = again.codec.sealer!
        XCTAssertEqual(sealer.personKeys.lookup(p), .erased)
        let onDisk = PersonKeyFile.open(try Data(contentsOf: keyFile), sealer: sealer)!
        XCTAssertEqual(onDisk.lookup(p), .erased, "the key file on disk no longer holds the key")
    }

    func testNothingMoreIsWrittenAboutAnErasedPersonAndTheErasureIsNotUndone() throws {
        let (store, p, _) = try makeCaseload()
        defer { store.close() }
        let erasure = try store.append(Rules.erase(patientId: p, reason: "erasure request", state: store.state, context: RuleContext(asOf: day)).get())[0]
        XCTAssertThrowsError(try store.append([.sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: p, date: day, kind: .phone, minutes: nil, note: "again"))])) {
            XCTAssertTrue("\($0)".contains("erased"), "\($0)")
        }
        XCTAssertNotNil(store.state.undoRefusal(about: p, body: erasure.body))
        if case .failure(let problems) = Rules.erase(patientId: p, reason: "again", state: store.state, context: RuleContext(asOf: day)) {
            XCTAssertTrue(problems.items[0].message.contains("already erased"))
        } else { XCTFail("a second erasure was accepted") }
        XCTAssertFalse(store.state.patientList(status: nil, worker: nil, search: nil).contains { $0.id == p }, "an erased person is on no list")
    }

    func testAPlainCaseloadRefusesToEraseAndWritesNothing() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira Haddad", team: "North")
        defer { store.close() }
        let p = UUID()
        try store.append([.patientReferred(PatientReferred(patientId: p, name: "Zebedee Quartermain", referral: Referral(date: day, source: .gp, reasons: [.loneliness])))])
        let seq = store.lastSeq
        XCTAssertThrowsError(try store.append(Rules.erase(patientId: p, reason: "request", state: store.state, context: RuleContext(asOf: day)).get())) {
            XCTAssertTrue("\($0)".contains("needs an encrypted caseload"), "\($0)")
        }
        XCTAssertEqual(store.lastSeq, seq)
    }

    func testAPersonPartMovedToAnotherRecordOrWithoutItsKeyDoesNotOpen() throws {
        let (_, codec) = try EncryptedCaseload.newKeys(passphrase: passphrase)
        let p = UUID(), device = UUID()
        func event(_ seq: UInt64, _ note: String) -> Event {
            Event(id: UUID(), device: device, seq: seq, clock: HLC(wallMillis: 1_700_000_000_000 + Int64(seq), counter: 0), author: "amira",
                  body: .sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: p, date: day, kind: .phone, minutes: nil, note: note)))
        }
        let one = codec.payload(for: event(1, "first note"), person: p)!, two = codec.payload(for: event(2, "second note"), person: p)!
        // Record two's person part on record one's outer box.
        let sealedOne = try EventEnvelope.decode(one).sealed!, sealedTwo = try EventEnvelope.decode(two).sealed!
        XCTAssertEqual(sealedOne.split(separator: ":").count, 3, "key id, outer box, person part")
        let swapped = String(decoding: one, as: UTF8.self).replacingOccurrences(
            of: sealedOne, with: sealedOne.split(separator: ":")[0...1].joined(separator: ":") + ":" + sealedTwo.split(separator: ":")[2])
        XCTAssertThrowsError(try codec.event(from: Data(swapped.utf8)))
        // Another device that has not received the person's key yet: said as that, not as damage.
        let other = EventCodec(sealer: EventSealer(sodium: try Sodium.load(), keyring: codec.sealer!.keyring))
        XCTAssertThrowsError(try other.event(from: one)) { XCTAssertEqual($0 as? SealError, .unknownPersonKey) }
        other.sealer!.personKeys.erase(p)
        guard case .sessionRecorded(let s) = try other.event(from: one).body else { return XCTFail("not a session") }
        XCTAssertEqual(s.note, "", "an erased person's record opens redacted")
    }

    /// A colleague's device, not yet told of the erasure, wrote about the person; that arrives
    /// after the erasure in fold order and is folded redacted, as every device reads it once the key is gone.
    func testARecordAboutSomeoneAlreadyErasedIsFoldedRedacted() {
        let p = UUID(), clock = { (n: Int64) in HLC(wallMillis: 1_700_000_000_000 + n, counter: 0) }
        let device = UUID()
        func event(_ n: Int64, _ body: EventBody) -> Event { Event(id: UUID(), device: device, seq: UInt64(n), clock: clock(n), author: "ben", body: body) }
        let state = CaseloadState.fold([
            event(1, .patientReferred(PatientReferred(patientId: p, name: "Zebedee Quartermain", referral: Referral(date: day, source: .gp, reasons: [.loneliness])))),
            event(2, .patientErased(PatientErased(patientId: p, reason: "request", date: day))),
            event(3, .sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: p, date: day, kind: .phone, minutes: 10, note: "bailiffs at Marigold"))),
            event(4, .patientUpdated(PatientUpdated(patientId: p, name: "Zebedee Quartermain", phone: "07700 900123"))),
        ])
        XCTAssertEqual(state.sessions.values.map { $0.versions.map(\.text) }, [[""]], "the contact is counted, its note is not there")
        XCTAssertEqual(state.patients[p]?.name, "")
        XCTAssertNil(state.patients[p]?.phone)
    }

    /// Another device's copy of the person keys, even one forged by someone with the team key,
    /// can mark as erased only people whose key is not held here: a key held here is destroyed
    /// only by an erasure folded here.
    func testACopyMarkingEveryoneErasedDestroysNoKeyHeldHere() throws {
        let sodium = try Sodium.load()
        let held = UUID(), unknown = UUID()
        let mine = PersonKeys()
        let key = try XCTUnwrap(mine.sealingKey(held, sodium: sodium))
        XCTAssertFalse(mine.merge(PersonKeys(erased: [held])), "a held key is kept")
        XCTAssertEqual(mine.lookup(held), .key(key))
        XCTAssertTrue(mine.merge(PersonKeys(erased: [unknown])))
        XCTAssertEqual(mine.lookup(unknown), .erased, "a record of someone erased elsewhere opens redacted, not as damage")
        // And a copy's key for someone erased here does not bring them back.
        mine.erase(held)
        XCTAssertFalse(mine.merge(PersonKeys(keys: [held: key])))
        XCTAssertEqual(mine.lookup(held), .erased)
        XCTAssertEqual(PersonKeys.decode(mine.encoded())?.lookup(held), .erased)
    }
}
