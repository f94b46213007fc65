import XCTest
import CaseloadCore

/// The fast decoder must give exactly what JSONDecoder gives for what `Event.encode` writes,
/// and throw (never trap) on anything broken: journals also arrive from other devices.
final class FastEventDecoderTests: XCTestCase {
    // MARK: - Fixtures

    static let day = Day("2026-11-23")!
    static let nhs = NHSNumber("9434765919")!

    static func uuid(_ n: Int) -> UUID {
        UUID(uuidString: String(format: "%08X-C36C-495A-93FC-0C247A3E6E5F", n))!
    }

    static func event(_ body: EventBody, author: String = "amira", seq: UInt64 = 7) -> Event {
        Event(id: uuid(900), device: uuid(901), seq: seq, clock: HLC(wallMillis: 1_732_406_400_000, counter: 3), author: author, body: body)
    }

    /// Every body type with every optional field set.
    static func fullBodies(text: String = "Said \"hello\"\nthen left") -> [EventBody] {
        let d = day, p = uuid(1)
        return [
            .workerRegistered(WorkerRegistered(workerId: "amira", name: "Amira Haddad", team: "North", role: "supervisor")),
            .patientReferred(PatientReferred(patientId: p, name: "Zoë Łukasz 陈", preferredName: "Zo 🙂", dateOfBirth: Day("1950-02-28")!,
                                             nhsNumber: nhs, phone: "07700 900123", address: "12 Heol y Parc", gpPractice: "Riverside Surgery",
                                             worker: "amira",
                                             referral: Referral(date: d, source: .gp, referrer: "Dr Patel", reasons: [.loneliness, .moneyDebt], text: text))),
            .patientUpdated(PatientUpdated(patientId: p, name: "محمد عبد الله", preferredName: "Mo", dateOfBirth: Day("2000-02-29")!, nhsNumber: nhs,
                                           phone: "01632 960111", address: "Mill Lane", gpPractice: "The Old Mill Practice", worker: "ben")),
            .patientStatusChanged(PatientStatusChanged(patientId: p, status: .unableToContact, date: d, reason: text)),
            .consentRecorded(ConsentRecorded(patientId: p, kind: .shareWithGP, given: false, date: d)),
            .sessionRecorded(SessionRecorded(sessionId: uuid(2), patientId: p, date: d, kind: .accompaniedVisit, minutes: 45, note: text, draftId: uuid(3),
                                             importedAuthor: "ben", outcome: .cancelledByService)),
            .sessionAmended(SessionAmended(sessionId: uuid(2), note: text, basedOn: uuid(4), draftId: uuid(5))),
            .draftSaved(DraftSaved(draftId: uuid(5), patientId: p, sessionId: uuid(2), date: d, kind: .faceToFace, minutes: -1, text: text,
                                   outcome: .noAnswer)),
            .draftDiscarded(DraftDiscarded(draftId: uuid(5))),
            .goalSet(GoalSet(goalId: uuid(6), patientId: p, text: text, date: d, progress: 0, reviewOn: Day("2027-01-04")!)),
            .goalProgressed(GoalProgressed(goalId: uuid(6), score: 10, date: d)),
            .goalStatusChanged(GoalStatusChanged(goalId: uuid(6), status: .achieved, date: d)),
            .measureRecorded(MeasureRecorded(measureId: uuid(7), patientId: p, instrument: .swemwbs, answers: [1, 2, 3, 4, 5, 4, 3], date: d)),
            .serviceAdded(ServiceAdded(serviceId: uuid(8), name: "Men's Shed", organisation: "Riverside Men's Shed", category: "social",
                                       contact: "01632 960123", address: "Unit 4, Mill Lane", times: "Tue & Fri 10:00-15:00",
                                       externalId: "ac148810-d857-441c-9679-408f346de14b", source: "Open Referral UK", lastModified: "2023-03-15T10:30:45.123Z",
                                       details: ServiceDetails(description: text, eligibility: "Men over 50", ageRange: "50 and over", cost: "£1 a session",
                                                               languages: "English; Cymraeg", accessibility: "Step-free", areas: "Riverside ward",
                                                               postcodes: "RV1 2AB"))),
            .serviceUpdated(ServiceAdded(serviceId: uuid(8), name: "Men's Shed (Riverside)", organisation: "Riverside Men's Shed", category: "social",
                                         contact: "01632 960124", address: "Unit 5, Mill Lane", times: "Tue 10:00-15:00",
                                         externalId: "ac148810-d857-441c-9679-408f346de14b", source: "Open Referral UK", lastModified: "2023-04-01T09:00:00Z")),
            .serviceDelisted(ServiceDelisted(serviceId: uuid(8), date: d, reason: text)),
            .connectionMade(ConnectionMade(connectionId: uuid(9), patientId: p, serviceId: uuid(8), stage: .droppedOut, accompanied: true, date: d, route: .signposted)),
            .connectionStageChanged(ConnectionStageChanged(connectionId: uuid(9), stage: .engaged, date: d, reason: text)),
            .followupScheduled(FollowupScheduled(followupId: uuid(10), patientId: p, due: d, reason: text, worker: "amira")),
            .followupRescheduled(FollowupRescheduled(followupId: uuid(10), due: d.adding(days: 7), reason: text, date: d, resolvesConflict: true)),
            .followupCompleted(FollowupCompleted(followupId: uuid(10), date: d)),
            .followupCancelled(FollowupCancelled(followupId: uuid(10), date: d, reason: text)),
            .changeUndone(ChangeUndone(eventId: uuid(11))),
            .deviceSynced(DeviceSynced(target: "folder")),
            .riskRecorded(RiskRecorded(riskId: uuid(12), patientId: p, kind: .safeguarding, note: text, raisedWith: "Dr Patel / MASH", date: d)),
            .riskResolved(RiskResolved(riskId: uuid(12), date: d, reason: text)),
            .noKnownRisks(NoKnownRisks(patientId: p, date: d)),
            .duplicateResolved(DuplicateResolved(patientId: p, otherId: uuid(13), merged: true, date: d)),
            .patientViewed(PatientViewed(patientId: p, how: "gp-summary", date: d)),
            .patientRestricted(PatientRestricted(patientId: p, reason: text, date: d)),
            .patientUnrestricted(PatientUnrestricted(patientId: p, date: d)),
        ]
    }

    /// Every body type with every optional field nil (and empty arrays where there are arrays).
    static func minimalBodies() -> [EventBody] {
        let d = day, p = uuid(1)
        return [
            .workerRegistered(WorkerRegistered(workerId: "ben", name: "", team: nil, role: nil)),
            .patientReferred(PatientReferred(patientId: p, name: "A", referral: Referral(date: d, source: .selfReferral, reasons: []))),
            .patientUpdated(PatientUpdated(patientId: p)),
            .patientStatusChanged(PatientStatusChanged(patientId: p, status: .referred, date: d)),
            .consentRecorded(ConsentRecorded(patientId: p, kind: .socialPrescribing, given: true, date: d)),
            .sessionRecorded(SessionRecorded(sessionId: uuid(2), patientId: p, date: d, kind: .phone, minutes: nil, note: "")),
            .sessionAmended(SessionAmended(sessionId: uuid(2), note: "", basedOn: uuid(4))),
            .draftSaved(DraftSaved(draftId: uuid(5), patientId: p, date: d, kind: .video, minutes: nil, text: "")),
            .draftDiscarded(DraftDiscarded(draftId: uuid(5))),
            .goalSet(GoalSet(goalId: uuid(6), patientId: p, text: "", date: d)),
            .goalProgressed(GoalProgressed(goalId: uuid(6), score: 0, date: d)),
            .goalStatusChanged(GoalStatusChanged(goalId: uuid(6), status: .dropped, date: d)),
            .measureRecorded(MeasureRecorded(measureId: uuid(7), patientId: p, instrument: .ucla3, answers: [], date: d)),
            .serviceAdded(ServiceAdded(serviceId: uuid(8), name: "Food bank")),
            .serviceUpdated(ServiceAdded(serviceId: uuid(8), name: "Food bank")),
            .serviceDelisted(ServiceDelisted(serviceId: uuid(8), date: d)),
            .connectionMade(ConnectionMade(connectionId: uuid(9), patientId: p, serviceId: uuid(8), stage: .suggested, accompanied: false, date: d)),
            .connectionStageChanged(ConnectionStageChanged(connectionId: uuid(9), stage: .completed, date: d)),
            .followupScheduled(FollowupScheduled(followupId: uuid(10), patientId: p, due: d, reason: nil, worker: nil)),
            .followupRescheduled(FollowupRescheduled(followupId: uuid(10), due: d, reason: nil, date: d)),
            .followupCompleted(FollowupCompleted(followupId: uuid(10), date: Day("0001-01-01")!)),
            .followupCancelled(FollowupCancelled(followupId: uuid(10), date: Day("9999-12-31")!, reason: nil)),
            .changeUndone(ChangeUndone(eventId: uuid(11))),
            .deviceSynced(DeviceSynced(target: "folder")),
            .riskRecorded(RiskRecorded(riskId: uuid(12), patientId: p, kind: .loneWorking, note: nil, date: d)),
            .riskResolved(RiskResolved(riskId: uuid(12), date: d)),
            .noKnownRisks(NoKnownRisks(patientId: p, date: d)),
            .duplicateResolved(DuplicateResolved(patientId: p, otherId: uuid(13), merged: true, date: d)),
            .patientViewed(PatientViewed(patientId: p, how: "app", date: d)),
            .patientRestricted(PatientRestricted(patientId: p, reason: "", date: d)),
            .patientUnrestricted(PatientUnrestricted(patientId: p, date: d)),
        ]
    }

    static func text(_ e: Event) throws -> String { String(decoding: try e.encoded(), as: UTF8.self) }

    static func reference(_ data: Data) throws -> Event { try JSONDecoder().decode(Event.self, from: data) }

    static func fast(_ data: Data) throws -> Event { try Event.decode(data) }

    static func fast(_ text: String) throws -> Event { try fast(Data(text.utf8)) }

    /// Decodes with both decoders and checks they agree with `expected`.
    func assertBothDecode(_ data: Data, to expected: Event, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(try Self.fast(data), expected, file: file, line: line)
        XCTAssertEqual(try Self.reference(data), expected, "JSONDecoder disagrees: the fixture is wrong", file: file, line: line)
    }

    func assertThrows(_ text: String, _ why: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Self.fast(text), why, file: file, line: line) { error in
            XCTAssertTrue(error is FastDecodingError, "\(why): \(error)", file: file, line: line)
        }
    }

    // MARK: - Round trips

    /// The fixture of one type, by name: indexes shift whenever a type is added.
    static func fullBody(_ type: String) -> EventBody { fullBodies().first { $0.type == type }! }

    func testFixturesCoverEveryBodyType() {
        XCTAssertEqual(Set(Self.fullBodies().map(\.type)).count, 31)
        XCTAssertEqual(Set(Self.minimalBodies().map(\.type)).count, 31)
    }

    func testEveryBodyWithAllOptionalsSet() throws {
        for body in Self.fullBodies() {
            let e = Self.event(body)
            assertBothDecode(try e.encoded(), to: e)
        }
    }

    func testEveryBodyWithAllOptionalsNil() throws {
        for body in Self.minimalBodies() {
            let e = Self.event(body)
            let data = try e.encoded()
            XCTAssertFalse(String(decoding: data, as: UTF8.self).contains("null"))
            assertBothDecode(data, to: e)
        }
    }

    func testExplicitNullsAreNilLikeMissingFields() throws {
        let json = #"{"author":"a","body":{"patientId":"00000001-C36C-495A-93FC-0C247A3E6E5F","name":null,"preferredName":null,"dateOfBirth":null,"nhsNumber":null,"phone":null,"address":null,"gpPractice":null,"worker":null},"clock":"1.0","device":"00000002-C36C-495A-93FC-0C247A3E6E5F","id":"00000003-C36C-495A-93FC-0C247A3E6E5F","seq":1,"type":"patient.updated"}"#
        let e = try Self.fast(json)
        XCTAssertEqual(e.body, .patientUpdated(PatientUpdated(patientId: Self.uuid(1))))
        XCTAssertEqual(e, try Self.reference(Data(json.utf8)))
        let moved = #"{"author":"a","body":{"date":"2026-11-23","due":"2026-11-30","followupId":"00000001-C36C-495A-93FC-0C247A3E6E5F","reason":null,"resolvesConflict":null},"clock":"1.0","device":"00000002-C36C-495A-93FC-0C247A3E6E5F","id":"00000003-C36C-495A-93FC-0C247A3E6E5F","seq":1,"type":"followup.rescheduled"}"#
        XCTAssertNil(try { if case .followupRescheduled(let r) = try Self.fast(moved).body { return r.resolvesConflict } else { return true } }())
        XCTAssertEqual(try Self.fast(moved), try Self.reference(Data(moved.utf8)))
    }

    func testDifficultStrings() throws {
        let strings = [
            "", "\"", "\\", "\\\"", "a\"b\\c/d", "line\nbreak\r\n\ttab", "\u{0}\u{1}\u{1F}\u{7F}", "\u{8}\u{C}",
            "emoji 😀👩🏽‍⚕️🇬🇧 and 🙂", "Zażółć gęślą jaźń — Łódź, Wrocław", "王小明 李秀英 陈", "فاطمة الزهراء محمد عبد الله",
            "রহিম উদ্দিন", "e\u{301} vs é", "\u{FEFF}bom inside", "\u{2028}\u{2029}", "\u{10FFFF}\u{FFFF}", "</script>", "£300 €5 ¥",
            String(repeating: "long ", count: 2000),
        ]
        for s in strings {
            let e = Self.event(.sessionRecorded(SessionRecorded(sessionId: Self.uuid(2), patientId: Self.uuid(1), date: Self.day,
                                                                kind: .phone, minutes: 30, note: s)), author: s)
            assertBothDecode(try e.encoded(), to: e)
        }
    }

    func testHandWrittenUnicodeEscapes() throws {
        // \u escapes JSONEncoder never writes for these: BMP, an escaped surrogate pair, upper and lower case hex.
        let json = #"{"author":"\u0041\u00e9\u0141\u738B\ud83d\ude00\uD83C\uDDEC\uD83C\uDDE7\u0000\/","body":{"draftId":"00000005-C36C-495A-93FC-0C247A3E6E5F"},"clock":"1.0","device":"00000002-C36C-495A-93FC-0C247A3E6E5F","id":"00000003-C36C-495A-93FC-0C247A3E6E5F","seq":1,"type":"draft.discarded"}"#
        let e = try Self.fast(json)
        XCTAssertEqual(e.author, "AéŁ王😀🇬🇧\u{0}/")
        XCTAssertEqual(e, try Self.reference(Data(json.utf8)))
        // Escapes inside keys, typed values and the type are decoded before they are read.
        let escaped = #"{"\u0061uthor":"a","b\u006Fdy":{"draftId":"00000005\u002dC36C-495A-93FC-0C247A3E6E5F"},"clock":"1\u002e0","device":"00000002-C36C-495A-93FC-0C247A3E6E5F","id":"00000003-C36C-495A-93FC-0C247A3E6E5F","seq":1,"type":"draft\u002ediscarded"}"#
        let f = try Self.fast(escaped)
        XCTAssertEqual(f.body, .draftDiscarded(DraftDiscarded(draftId: Self.uuid(5))))
        XCTAssertEqual(f, try Self.reference(Data(escaped.utf8)))
    }

    func testUnpairedSurrogatesAndBadEscapesThrow() {
        let valid = #"{"author":"X","body":{"draftId":"00000005-C36C-495A-93FC-0C247A3E6E5F"},"clock":"1.0","device":"00000002-C36C-495A-93FC-0C247A3E6E5F","id":"00000003-C36C-495A-93FC-0C247A3E6E5F","seq":1,"type":"draft.discarded"}"#
        XCTAssertNoThrow(try Self.fast(valid))
        for bad in [#"\ud800"#, #"\udc00"#, #"\ud800\u0041"#, #"\ud800\ud800"#, #"\ud800x"#, #"\u12"#, #"\u12G4"#, #"\x"#, #"\'"#, "\t", "\u{1}"] {
            assertThrows(valid.replacingOccurrences(of: "\"X\"", with: "\"\(bad)\""), "author \(bad.debugDescription)")
        }
        var bytes = Array(valid.utf8)
        for invalidUTF8: [UInt8] in [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x80]] {
            bytes = Array(valid.utf8)
            let x = bytes.firstIndex(of: UInt8(ascii: "X"))!
            bytes.replaceSubrange(x...x, with: invalidUTF8)
            XCTAssertThrowsError(try Self.fast(Data(bytes)), "\(invalidUTF8)")
            XCTAssertThrowsError(try Self.reference(Data(bytes)), "\(invalidUTF8)")
        }
    }

    func testUnknownTypeIsKeptLikeJSONDecoderDoes() throws {
        let head = #"{"author":"a","#
        let tail = #""clock":"1.0","device":"00000002-C36C-495A-93FC-0C247A3E6E5F","id":"00000003-C36C-495A-93FC-0C247A3E6E5F","seq":1,"type":"future.thing"}"#
        for body in [#""body":{"x":[1,{"y":null}],"z":"\u00e9"},"#, #""body":5,"#, #""body":null,"#, #""body":[],"#, ""] {
            let json = head + body + tail
            let e = try Self.fast(json)
            XCTAssertEqual(e.body, .unknown(type: "future.thing"), json)
            XCTAssertEqual(e, try Self.reference(Data(json.utf8)), json)
        }
        // Round trip through the encoder too.
        let e = Self.event(.unknown(type: "future.thing"))
        assertBothDecode(try e.encoded(), to: e)
    }

    func testUnknownKeysAreIgnored() throws {
        for body in Self.fullBodies() {
            let e = Self.event(body)
            var text = try Self.text(e)
            text = text.replacingOccurrences(of: "{\"author\"", with: #"{"aaa":{"deep":[[[{"k":"v\"}"}]]],"x":-1.5e-3},"zzz":[true,false,null],"author""#)
            text = text.replacingOccurrences(of: "\"body\":{", with: #""body":{"addedLater":{"a":[1,2,{"b":"\ud83d\ude00"}]},"#)
            text = String(text.dropLast()) + #","~":"last"}"#
            assertBothDecode(Data(text.utf8), to: e)
        }
    }

    func testKeysInAnyOrderAndWhitespace() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted]  // unsorted, with whitespace everywhere
        for body in Self.fullBodies() + Self.minimalBodies() {
            let e = Self.event(body)
            assertBothDecode(try encoder.encode(e), to: e)
            // type before body: the body is read in one pass.
            let sorted = try Self.text(e)
            let typeMember = ",\"type\":\"\(body.type)\""
            let moved = "{\"type\":\"\(body.type)\"," + sorted.dropFirst().replacingOccurrences(of: typeMember, with: "")
            assertBothDecode(Data(moved.utf8), to: e)
        }
        let e = Self.event(Self.fullBodies()[0])
        assertBothDecode(Data((" \n\t\r" + (try Self.text(e)) + "\r\n ").utf8), to: e)
        assertBothDecode(Data([0xEF, 0xBB, 0xBF] + Array(try Self.text(e).utf8)), to: e)
    }

    /// PostgreSQL's jsonb keeps the last of two duplicate keys and we read the first, so an
    /// "author" twice could pass the server's author check and show a colleague here. Any
    /// key twice in one object, at any depth, read or skipped, escaped or not, is refused.
    func testDuplicateKeysAreRefused() throws {
        let good = #"{"author":"a","body":{"draftId":"00000005-C36C-495A-93FC-0C247A3E6E5F","extra":{"k":1,"j":2}},"clock":"1.0","device":"00000002-C36C-495A-93FC-0C247A3E6E5F","id":"00000003-C36C-495A-93FC-0C247A3E6E5F","seq":1,"type":"draft.discarded"}"#
        XCTAssertEqual(try Self.fast(good).author, "a")
        let forgeries = [
            good.replacingOccurrences(of: #"{"author":"a","#, with: #"{"author":"a","author":"ben","#),
            good.replacingOccurrences(of: #"{"author":"a","#, with: #"{"author":"a","auth\u006fr":"ben","#),
            good.replacingOccurrences(of: #""seq":1,"#, with: #""seq":1,"seq":2,"#),
            good.replacingOccurrences(of: #","type":"draft.discarded"}"#, with: #","type":"draft.discarded","type":"change.undone"}"#),
            good.replacingOccurrences(of: #""extra":"#, with: #""draftId":"00000006-C36C-495A-93FC-0C247A3E6E5F","extra":"#),
            good.replacingOccurrences(of: #"{"k":1,"j":2}"#, with: #"{"k":1,"\u006b":2}"#),
            good.replacingOccurrences(of: #"{"k":1,"j":2}"#, with: #"[{"k":1,"k":2}]"#),
            // Keys no field has, twice: at the top and in the body.
            good.replacingOccurrences(of: #"{"author":"a","#, with: #"{"x":1,"author":"a","x":2,"#),
            good.replacingOccurrences(of: #""extra":"#, with: #""extra":1,"extra":"#),
            // The body read before its type is known (no type at the end to guess from).
            #"{"type":"x","body":{"a":1,"a":2},"author":"a","clock":"1.0","device":"00000002-C36C-495A-93FC-0C247A3E6E5F","id":"00000003-C36C-495A-93FC-0C247A3E6E5F","seq":1}"#,
        ]
        for text in forgeries {
            XCTAssertThrowsError(try Self.fast(text), text) { error in
                XCTAssertTrue("\(error)".contains("twice"), "\(error)")
            }
        }
    }

    func testNumbersLikeJSONDecoder() throws {
        let template = #"{"author":"a","body":{"goalId":"00000006-C36C-495A-93FC-0C247A3E6E5F","score":SCORE,"date":"2026-01-02"},"clock":"1.0","device":"00000002-C36C-495A-93FC-0C247A3E6E5F","id":"00000003-C36C-495A-93FC-0C247A3E6E5F","seq":SEQ,"type":"goal.progressed"}"#
        func json(score: String, seq: String = "1") -> String {
            template.replacingOccurrences(of: "SCORE", with: score).replacingOccurrences(of: "SEQ", with: seq)
        }
        for (score, seq) in [("0", "1"), ("-0", "-0"), ("3.0", "3.0"), ("1e2", "1E+2"), ("0.3e1", "18446744073709551615"),
                             ("9223372036854775807", "0"), ("-9223372036854775808", "1.8e19"), ("-7", "12")] {
            let text = json(score: score, seq: seq)
            XCTAssertEqual(try Self.fast(text), try Self.reference(Data(text.utf8)), text)
        }
        for (score, seq) in [("1.5", "1"), ("01", "1"), ("1.", "1"), ("-", "1"), (".5", "1"), ("+1", "1"), ("1e", "1"), ("1e400", "1"),
                             ("9223372036854775808", "1"), ("1e19", "1"), ("NaN", "1"), ("true", "1"), ("\"3\"", "1"), ("null", "1"),
                             ("1", "-1"), ("1", "18446744073709551616"), ("1", "0.5"), ("1", "\"1\""), ("[1]", "1")] {
            let text = json(score: score, seq: seq)
            assertThrows(text, "score \(score) seq \(seq)")
            XCTAssertThrowsError(try Self.reference(Data(text.utf8)), text)
        }
    }

    func testDemoCaseloadRoundTrips() throws {
        let items = DemoCaseload.generate(patients: 50, seed: 7, asOf: Day("2026-11-23")!)
        XCTAssertGreaterThan(items.count, 500)
        let device = Self.uuid(77)
        for (n, item) in items.enumerated() {
            let e = item.event(device: device, seq: UInt64(n + 1))
            let data = try e.encoded()
            XCTAssertEqual(try Self.fast(data), e)
            try data.withUnsafeBytes { XCTAssertEqual(try Event.decode(bytes: $0), e) }
        }
    }

    // MARK: - Malformed input

    func testWrongTypesAndInvalidValuesThrow() throws {
        let e = Self.event(Self.fullBodies()[1])  // patient.referred: the richest body
        let good = try Self.text(e)
        XCTAssertEqual(try Self.fast(good), e)
        let cases: [(String, String)] = [
            ("\"seq\":7", "\"seq\":\"7\""), ("\"seq\":7", "\"seq\":true"), ("\"seq\":7", "\"seq\":null"), ("\"author\":\"amira\"", "\"author\":5"),
            ("\"author\":\"amira\"", "\"author\":null"), ("\"author\":\"amira\"", "\"author\":[\"amira\"]"),
            ("\"clock\":\"1732406400000.3\"", "\"clock\":1732406400000.3"), ("\"clock\":\"1732406400000.3\"", "\"clock\":\"1732406400000\""),
            ("\"clock\":\"1732406400000.3\"", "\"clock\":\"1.2.3\""), ("\"clock\":\"1732406400000.3\"", "\"clock\":\"1.4294967296\""),
            ("\"clock\":\"1732406400000.3\"", "\"clock\":\"99999999999999999999.1\""),
            ("\"type\":\"patient.referred\"", "\"type\":7"), ("\"type\":\"patient.referred\"", ""),
            ("\"id\":\"00000384-", "\"id\":\"0000038G-"), ("\"id\":\"00000384-", "\"id\":\"00000384+"),
            ("\"id\":\"00000384-C36C-495A-93FC-0C247A3E6E5F\"", "\"id\":\"00000384C36C495A93FC0C247A3E6E5F\""), ("\"id\":\"00000384-", "\"id\":\"{00000384-"),
            ("\"id\":\"00000384-C36C-495A-93FC-0C247A3E6E5F\"", "\"id\":null"), ("\"id\":\"00000384-C36C-495A-93FC-0C247A3E6E5F\",", ""),
            ("\"nhsNumber\":\"9434765919\"", "\"nhsNumber\":\"9434765918\""), ("\"nhsNumber\":\"9434765919\"", "\"nhsNumber\":\"1111111111\""),
            ("\"nhsNumber\":\"9434765919\"", "\"nhsNumber\":\"943476591\""), ("\"nhsNumber\":\"9434765919\"", "\"nhsNumber\":9434765919"),
            ("\"dateOfBirth\":\"1950-02-28\"", "\"dateOfBirth\":\"1950-02-29\""), ("\"date\":\"2026-11-23\"", "\"date\":\"2026-02-30\""),
            ("\"date\":\"2026-11-23\"", "\"date\":\"2026-11-23 \""), ("\"date\":\"2026-11-23\"", "\"date\":\"26-11-23\""),
            ("\"date\":\"2026-11-23\"", "\"date\":\"0000-01-01\""), ("\"date\":\"2026-11-23\"", "\"date\":\"2026-13-01\""),
            ("\"date\":\"2026-11-23\"", "\"date\":\"2026/11/23\""), ("\"date\":\"2026-11-23\"", "\"date\":null"),
            ("\"source\":\"gp\"", "\"source\":\"GP\""), ("\"source\":\"gp\"", "\"source\":\"doctor\""), ("\"source\":\"gp\"", "\"source\":null"),
            ("[\"loneliness\",\"moneyDebt\"]", "[\"loneliness\",\"debt\"]"), ("[\"loneliness\",\"moneyDebt\"]", "\"loneliness\""),
            ("[\"loneliness\",\"moneyDebt\"]", "[\"loneliness\",null]"), ("[\"loneliness\",\"moneyDebt\"]", "null"),
            ("\"name\":\"Zoë Łukasz 陈\"", "\"name\":null"), ("\"name\":\"Zoë Łukasz 陈\",", ""),
            ("\"referral\":{", "\"referral\":[{"), ("\"body\":{", "\"body\":[{"),
            ("\"patientId\":\"00000001-", "\"patientId\":\"00000001--"),
            ("\"gpPractice\":\"Riverside Surgery\"", "\"gpPractice\":false"),
        ]
        for (from, to) in cases {
            XCTAssertTrue(good.contains(from), from)
            let bad = good.replacingOccurrences(of: from, with: to)
            assertThrows(bad, "\(from) -> \(to)")
            XCTAssertThrowsError(try Self.reference(Data(bad.utf8)), "JSONDecoder accepts \(to)")
        }
        // Foundation's UUID(uuidString:) on Linux reads these (sscanf skips the space and
        // takes "0X" as a hex prefix) and gets other bytes than were meant: rejected here.
        for to in ["\"id\":\" 0000384-", "\"id\":\"000X0384-", "\"id\":\"00000384-C36C-495A--3FC"] {
            assertThrows(good.replacingOccurrences(of: to.hasSuffix("-3FC") ? "\"id\":\"00000384-C36C-495A-93FC" : "\"id\":\"00000384-", with: to), to)
        }
        // Body-type specific ones.
        let measure = try Self.text(Self.event(Self.fullBody("measure.recorded")))
        for (from, to) in [("[1,2,3,4,5,4,3]", "[1,2,\"3\"]"), ("[1,2,3,4,5,4,3]", "[1.5]"), ("[1,2,3,4,5,4,3]", "{}"), ("\"swemwbs\"", "\"SWEMWBS\"")] {
            assertThrows(measure.replacingOccurrences(of: from, with: to), to)
        }
        let consent = try Self.text(Self.event(Self.fullBody("patient.consentRecorded")))
        for to in ["\"given\":0", "\"given\":\"false\"", "\"given\":null", "\"given\":False"] {
            assertThrows(consent.replacingOccurrences(of: "\"given\":false", with: to), to)
        }
        let moved = try Self.text(Self.event(Self.fullBody("followup.rescheduled")))
        for to in ["\"resolvesConflict\":\"true\"", "\"resolvesConflict\":1", "\"resolvesConflict\":True"] {
            assertThrows(moved.replacingOccurrences(of: "\"resolvesConflict\":true", with: to), to)
        }
        let synced = try Self.text(Self.event(.deviceSynced(DeviceSynced(target: "folder"))))
        for to in ["\"target\":5", "\"target\":null", "\"target\":[\"folder\"]", ""] {
            assertThrows(synced.replacingOccurrences(of: "\"target\":\"folder\"", with: to), to)
        }
        // Structural damage.
        for bad in ["", " ", "null", "[]", "{}", "{", "}", "\"x\"", good + good, good + "x", String(good.dropLast()) + ",}",
                    good.replacingOccurrences(of: ",\"seq\"", with: ",,\"seq\""), good.replacingOccurrences(of: ":", with: "="),
                    good.replacingOccurrences(of: "\"reasons\":[", with: "\"reasons\":[,"),
                    good.replacingOccurrences(of: "\"moneyDebt\"]", with: "\"moneyDebt\",]")] {
            assertThrows(bad, bad)
        }
    }

    func testErrorsNameTheField() throws {
        let good = try Self.text(Self.event(Self.fullBodies()[1]))
        func error(_ from: String, _ to: String) -> FastDecodingError? {
            let bytes = Array(good.replacingOccurrences(of: from, with: to).utf8)
            return bytes.withUnsafeBytes { p -> FastDecodingError? in
                do { _ = try FastEventDecoder.decode(p); return nil } catch { return error as? FastDecodingError }
            }
        }
        XCTAssertEqual(error("\"date\":\"2026-11-23\"", "\"date\":\"2026-02-30\"")?.field, "body.referral.date")
        XCTAssertEqual(error("\"nhsNumber\":\"9434765919\"", "\"nhsNumber\":\"9434765918\"")?.field, "body.nhsNumber")
        XCTAssertEqual(error("\"seq\":7", "\"seq\":\"7\"")?.field, "seq")
        XCTAssertEqual(error("\"name\":\"Zoë Łukasz 陈\",", "")?.field, "body.name")
        XCTAssertEqual(error("\"seq\":7,", "")?.description.hasPrefix("seq: missing required field"), true)
    }

    func testTruncatedAtEveryByteThrows() throws {
        for body in Self.fullBodies(text: "é\"\\\n😀 \\u0041") + [.unknown(type: "x.y")] {
            let data = Array(try Self.event(body).encoded())
            for n in 0..<data.count {
                XCTAssertThrowsError(try data[0..<n].withUnsafeBytes { try Event.decode(bytes: $0) }, "\(body.type) cut at \(n)")
            }
        }
    }

    /// Random damage: the fast decoder may reject more than JSONDecoder (which tolerates
    /// trailing commas and sloppy UUIDs), but whatever it accepts JSONDecoder must accept
    /// and decode to the same event.
    func testRandomByteFlipsNeverCrashAndNeverDisagree() throws {
        var rng = SeededRandom(seed: 20261123)
        var fastAccepted = 0, rejected = 0, stricter = 0
        let specials: [UInt8] = Array("{}[]\":,\\-.0123456789eEtfnul ".utf8) + [0, 0x1F, 0x7F, 0x80, 0xC3, 0xE2, 0xF0, 0xFF]
        for body in Self.fullBodies() + Self.minimalBodies() {
            let original = Array(try Self.event(body).encoded())
            for round in 0..<300 {
                var data = original
                for _ in 0..<(1 + round % 3) {
                    let i = Int(rng.next() % UInt64(data.count))
                    data[i] = round % 2 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : rng.pick(specials)
                }
                let fast = try? data.withUnsafeBytes { try Event.decode(bytes: $0) }
                let reference = try? Self.reference(Data(data))
                if let fast {
                    fastAccepted += 1
                    XCTAssertEqual(fast, reference, String(decoding: data, as: UTF8.self))
                } else {
                    rejected += 1
                    if reference != nil { stricter += 1 }
                }
            }
        }
        XCTAssertGreaterThan(fastAccepted, 100)
        XCTAssertGreaterThan(rejected, 1000)
        print("byte flips: \(fastAccepted) accepted, \(rejected) rejected, of which JSONDecoder accepted \(stricter)")
    }

    func testDeepNestingThrowsInsteadOfOverflowingTheStack() throws {
        let e = Self.event(.unknown(type: "x"))
        let text = try Self.text(e)
        func nested(_ depth: Int) -> String {
            text.replacingOccurrences(of: "{\"author\"", with: "{\"deep\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + ",\"author\"")
        }
        // The event object is level 1; JSONDecoder allows 512 levels in all.
        XCTAssertEqual(try Self.fast(nested(511)), e)
        XCTAssertEqual(try Self.reference(Data(nested(511).utf8)), e)
        assertThrows(nested(512), "513 levels")
        assertThrows(String(repeating: "[", count: 1_000_000), "a million brackets")
        assertThrows("{\"a\":" + String(repeating: "{\"a\":", count: 100_000), "a hundred thousand objects")
    }

    // MARK: - Benchmark

    /// `CASELOAD_BENCH=1 swift test -c release --filter FastEventDecoder`: decodes the
    /// 10,000-patient demo with both decoders and prints the times.
    func testBenchmarkAgainstJSONDecoder() throws {
        guard ProcessInfo.processInfo.environment["CASELOAD_BENCH"] == "1" else {
            throw XCTSkip("set CASELOAD_BENCH=1 to run the decoding benchmark")
        }
        let items = DemoCaseload.generate(patients: 10_000, seed: 1, asOf: Day("2026-11-23")!)
        let device = Self.uuid(1)
        var payloads: [Data] = []
        payloads.reserveCapacity(items.count)
        for (n, item) in items.enumerated() {
            payloads.append(try item.event(device: device, seq: UInt64(n + 1)).encoded())
        }
        let megabytes = Double(payloads.reduce(0) { $0 + $1.count }) / 1_000_000

        func time(_ decode: (Data) throws -> Event) rethrows -> (seconds: Double, events: [Event]) {
            var events: [Event] = []
            events.reserveCapacity(payloads.count)
            let start = DispatchTime.now().uptimeNanoseconds
            for p in payloads { events.append(try decode(p)) }
            return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, events)
        }
        let fast = try time(Event.decode)
        let fastAgain = try time(Event.decode)
        let decoder = JSONDecoder()
        let reference = try time { try decoder.decode(Event.self, from: $0) }
        XCTAssertEqual(fast.events, reference.events)
        let best = min(fast.seconds, fastAgain.seconds)
        print(String(format: "decode benchmark: %d events, %.1f MB: JSONDecoder %.2f s, fast %.3f s (%.0f MB/s), %.1fx",
                     payloads.count, megabytes, reference.seconds, best, megabytes / best, reference.seconds / best))
    }
}
