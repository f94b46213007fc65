import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// `update`, message by message.
final class UpdateTests: XCTestCase {
    func testFilterAsYouTypeByNameAccentsAndNHSNumber() {
        var s = Fixture.app()
        send(&s, .key(.char("/")))
        XCTAssertEqual(s.context, .filtering)
        type(&s, "wisn")
        XCTAssertEqual(s.list.rows, [Fixture.tadeusz], "wisn finds Wiśniewski")
        send(&s, .key(.backspace), .key(.backspace), .key(.backspace), .key(.backspace))
        type(&s, "943476")
        XCTAssertEqual(s.list.rows, [Fixture.tadeusz])
        send(&s, .key(.escape))
        XCTAssertEqual(s.list.filter.text, "")
        XCTAssertEqual(s.list.rows.count, 6)
    }

    /// The filter keeps each person's search key beside the list; a change that arrives while
    /// a filter is typed (a sync renames someone) is searched at once, narrowing and widening.
    func testFilterFollowsARenameThatArrivesWhileTyping() {
        var fx = Fixture.standard()
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        type(&s, "/wisn")
        XCTAssertEqual(s.list.rows, [Fixture.tadeusz])
        fx.add(.patientUpdated(PatientUpdated(patientId: Fixture.chen, name: "Li Wisniewska")))
        s.caseload = fx.state
        s.caseloadChanged()
        XCTAssertEqual(Set(s.list.rows), [Fixture.tadeusz, Fixture.chen], "the new name matches")
        type(&s, "iew")
        XCTAssertEqual(Set(s.list.rows), [Fixture.tadeusz, Fixture.chen])
        type(&s, "ska")
        XCTAssertEqual(s.list.rows, [Fixture.chen], "narrowing the renamed list")
        send(&s, .key(.backspace), .key(.backspace), .key(.backspace))
        XCTAssertEqual(Set(s.list.rows), [Fixture.tadeusz, Fixture.chen], "widening again")
        fx.add(.patientUpdated(PatientUpdated(patientId: Fixture.tadeusz, name: "Tadeusz Nowak")))
        s.caseload = fx.state
        s.caseloadChanged()
        XCTAssertEqual(s.list.rows, [Fixture.chen], "an old name no longer matches")
    }

    func testFilterByReasonThenEnterOpensThePatient() {
        var s = Fixture.app()
        type(&s, "/housing")
        send(&s, .key(.enter))
        XCTAssertEqual(s.context, .patientList, "Enter keeps the filter and leaves typing")
        send(&s, .key(.enter))
        XCTAssertEqual(s.route, .patient)
        XCTAssertEqual(s.patient?.patientId, Fixture.chen)
        send(&s, .key(.escape))
        XCTAssertEqual(s.route, .patientList)
        XCTAssertEqual(s.list.filter.text, "housing", "going back keeps the filter")
    }

    func testViKeysAndArrowsMoveAndClamp() {
        var s = Fixture.app()
        send(&s, .key(.char("j")), .key(.down), .key(.char("k")))
        XCTAssertEqual(s.list.selected, 1)
        send(&s, .key(.char("G")))
        XCTAssertEqual(s.list.selected, 5)
        send(&s, .key(.down))
        XCTAssertEqual(s.list.selected, 5)
        send(&s, .key(.home), .key(.up))
        XCTAssertEqual(s.list.selected, 0)
    }

    func testStatusWorkerAndSortFilters() {
        var s = Fixture.app()
        send(&s, .key(.char("w")))
        XCTAssertEqual(s.list.rows.count, 4, "Amira's own patients")
        send(&s, .key(.char("w")))
        XCTAssertEqual(Set(s.list.rows), [Fixture.begum, Fixture.wang], "then Ben's")
        assertContains(view(s), "2 shown · open cases · Ben O. · by name")
        send(&s, .key(.char("w")), .key(.char("o")))
        XCTAssertEqual(s.list.rows.count, 6, "then everyone's again")
        XCTAssertEqual(s.list.sort, .nextFollowup)
        XCTAssertEqual(s.list.rows.first, Fixture.begum, "most overdue first")
        send(&s, .key(.char("S")), .key(.char("S")))
        XCTAssertEqual(s.list.status, .only(.referred))
        XCTAssertFalse(s.list.rows.contains(Fixture.okafor))
    }

    func testTabCyclesPanesAndEscGoesBack() {
        var s = Fixture.app()
        send(&s, .key(.enter))
        XCTAssertEqual(s.context, .patientTimeline)
        send(&s, .key(.tab), .key(.tab), .key(.tab))
        XCTAssertEqual(s.context, .patientFollowups)
        send(&s, .key(.tab))
        XCTAssertEqual(s.context, .patientTimeline)
        send(&s, .key(.backTab))
        XCTAssertEqual(s.context, .patientFollowups)
        send(&s, .key(.escape))
        XCTAssertEqual(s.route, .patientList)
    }

    func testQuitIsImmediateWithoutANote() {
        var s = Fixture.app()
        XCTAssertEqual(send(&s, .key(.char("q"))), [.quit])
    }

    func testAddPatientKeepsTypedValuesWhenTheNHSNumberIsWrong() {
        var fx = Fixture.standard()
        var s = Fixture.app()
        send(&s, .key(.char("a")))
        type(&s, "Zoë Łukasz 王小明")
        send(&s, .key(.tab), .key(.tab))
        type(&s, "401 023 2136")
        for _ in 0..<5 { send(&s, .key(.tab)) }
        type(&s, "loneliness, bereavement")
        XCTAssertEqual(send(&s, .key(.ctrl("s"))), [], "nothing saved while a field is wrong")
        XCTAssertEqual(s.form?["name"], "Zoë Łukasz 王小明")
        XCTAssertEqual(s.form?["nhs"], "401 023 2136", "the typed value is kept")
        XCTAssertEqual(s.form?.fields[s.form!.focus].key, "nhs", "focus goes to the problem")
        XCTAssertNotNil(s.form?.fields[2].error)
        assertContains(view(s), "✗ the check digit does not match")

        send(&s, .key(.backspace))
        type(&s, "7")
        let effects = send(&s, .key(.ctrl("s")))
        guard case .append(let bodies, .patientAdded(let id))? = effects.first else { return XCTFail("\(effects)") }
        guard case .patientReferred(let r) = bodies[0] else { return XCTFail() }
        XCTAssertEqual(r.name, "Zoë Łukasz 王小明")
        XCTAssertEqual(r.nhsNumber?.formatted, "401 023 2137")
        XCTAssertEqual(r.referral.reasons, [.loneliness, .bereavement])
        XCTAssertTrue(bodies.contains { if case .followupScheduled(let f) = $0 { return f.due == Day("2026-11-25") && f.reason == "first call" } else { return false } })

        carryOut(&s, effects, fixture: &fx)
        XCTAssertEqual(s.route, .patient)
        XCTAssertEqual(s.patient?.patientId, id)
        XCTAssertEqual(s.status?.text, "Saved: new patient")
        assertContains(view(s), "Zoë Łukasz 王小明  NHS 401 023 2137")
    }

    func testADuplicateNHSNumberIsCaught() {
        var s = Fixture.app()
        send(&s, .key(.char("a")))
        type(&s, "Tad W")
        send(&s, .key(.tab), .key(.tab))
        type(&s, "9434765919")
        send(&s, .key(.ctrl("s")))
        XCTAssertTrue(s.form?.fields[2].error?.hasPrefix("already on the caseload") ?? false)
    }

    func testRescheduleByAWeekWithAReasonReordersTheQueue() {
        var fx = Fixture.standard()
        var s = Fixture.app()
        send(&s, .key(.char("f")))
        XCTAssertEqual(s.queue.rows.first?.followupId, Fixture.id(600))
        send(&s, .key(.char("7")))
        XCTAssertEqual(s.route, .form)
        XCTAssertEqual(s.form?["due"], "2026-12-01", "a week from today, as it was already overdue")
        XCTAssertEqual(s.form?.focus, 1, "straight to the reason")
        assertContains(view(s), "Reschedule the follow-up with Rahima Begum due 2026-11-12")
        type(&s, "no answer")
        let effects = send(&s, .key(.enter))
        XCTAssertEqual(effects, [.append([.followupRescheduled(FollowupRescheduled(followupId: Fixture.id(600), due: Day("2026-12-01")!,
                                                                                   reason: "no answer", date: Fixture.asOf))],
                                         purpose: .change(description: "follow-up moved to 2026-12-01"))])
        carryOut(&s, effects, fixture: &fx)
        XCTAssertEqual(s.route, .followupQueue)
        XCTAssertEqual(s.queue.rows.first?.followupId, Fixture.id(601), "Mr Chen is now the most overdue")
        XCTAssertEqual(s.queue.rows[s.queue.selected].followupId, Fixture.id(601), "the next call is under the cursor")
        XCTAssertEqual(s.headerCounts.overdue, 1)
    }

    func testDoneThenUndoFromTheSameScreen() {
        var fx = Fixture.standard()
        var s = Fixture.app()
        send(&s, .key(.char("f")))
        let done = send(&s, .key(.char("d")))
        XCTAssertEqual(done, [.append([.followupCompleted(FollowupCompleted(followupId: Fixture.id(600), date: Fixture.asOf, reschedulesSeen: 0))],
                                      purpose: .change(description: "follow-up done"))])
        carryOut(&s, done, fixture: &fx)
        XCTAssertEqual(s.caseload.followups[Fixture.id(600)]?.status, .done)
        let undo = send(&s, .key(.char("u")))
        guard case .undo(let ids, "follow-up done for Rahima Begum")? = undo.first else { return XCTFail("\(undo)") }
        XCTAssertEqual(ids, [fx.events.last!.id])
        for id in ids { fx.add(.changeUndone(ChangeUndone(eventId: id))) }
        send(&s, .undone(state: fx.state, description: "follow-up done for Rahima Begum"))
        XCTAssertEqual(s.caseload.followups[Fixture.id(600)]?.status, .open, "overdue again")
        XCTAssertEqual(s.status?.text, "Undone: follow-up done for Rahima Begum")
        send(&s, .key(.char("u")))
        XCTAssertEqual(s.status?.text, "Nothing to undo")
    }

    /// `u` works from any screen, and says what it undoes and for whom.
    func testUndoFromAnotherScreenNamesWhatAndForWhom() {
        var fx = Fixture.standard()
        var s = Fixture.app()
        send(&s, .key(.char("f")))
        carryOut(&s, send(&s, .key(.char("d"))), fixture: &fx)
        send(&s, .key(.escape))
        XCTAssertEqual(s.route, .patientList)
        let undo = send(&s, .key(.char("u")))
        guard case .undo(let ids, "follow-up done for Rahima Begum")? = undo.first else { return XCTFail("\(undo)") }
        for id in ids { fx.add(.changeUndone(ChangeUndone(eventId: id))) }
        send(&s, .undone(state: fx.state, description: "follow-up done for Rahima Begum"))
        XCTAssertTrue(view(s).rowText(23).hasPrefix(" Undone: follow-up done for Rahima Begum"), view(s).rowText(23))
        XCTAssertEqual(s.caseload.followups[Fixture.id(600)]?.status, .open, "overdue again")
    }

    func testMeasureItemByItemWithRangeChecks() {
        var s = Fixture.app()
        send(&s, .key(.enter), .key(.tab), .key(.char("m")))
        XCTAssertEqual(s.route, .measureForm)
        send(&s, .key(.enter))
        assertContains(view(s), "I've been feeling optimistic about the future")
        type(&s, "9")
        send(&s, .key(.enter))
        XCTAssertEqual(s.measure?.error, "Answer 1 to 5")
        XCTAssertEqual(s.measure?.step, 0)
        send(&s, .key(.backspace))
        for a in [3, 3, 2, 3, 2, 3, 2] {
            type(&s, String(a))
            send(&s, .key(.enter))
        }
        assertContains(view(s), "Score: metric 17.43 (raw 18)")
        send(&s, .key(.backspace))
        XCTAssertEqual(s.measure?.step, 6, "back to the last item to change it")
        XCTAssertEqual(s.measure?.input.text, "2")
        send(&s, .key(.enter))
        let effects = send(&s, .key(.enter))
        guard case .append(let bodies, _)? = effects.first, case .measureRecorded(let m) = bodies[0] else { return XCTFail() }
        XCTAssertEqual(m.answers, [3, 3, 2, 3, 2, 3, 2])
        XCTAssertEqual(m.instrument, .swemwbs)
    }

    func testAddGoalValidatesProgressRange() {
        var s = Fixture.app()
        send(&s, .key(.enter), .key(.tab), .key(.char("a")))
        type(&s, "Sort the gas bill")
        send(&s, .key(.tab))
        type(&s, "11")
        XCTAssertEqual(send(&s, .key(.enter)), [])
        XCTAssertEqual(s.form?.fields[1].error, "must be a whole number from 0 to 10")
        send(&s, .key(.backspace), .key(.backspace))
        type(&s, "2")
        let effects = send(&s, .key(.enter))
        guard case .append(let bodies, _)? = effects.first, case .goalSet(let g) = bodies[0] else { return XCTFail() }
        XCTAssertEqual(g.text, "Sort the gas bill")
        XCTAssertEqual(g.progress, 2)
    }

    func testSearchJumpsToTheMatchingSession() {
        var s = Fixture.app()
        send(&s, .key(.char("s")))
        type(&s, "ALLOTMENT")
        XCTAssertEqual(s.search.hits.count, 1)
        send(&s, .key(.enter), .key(.enter))
        XCTAssertEqual(s.patient?.patientId, Fixture.okafor)
        let items = TimelineItem.of(Fixture.okafor, in: s.caseload)
        guard case .session(let session) = items[s.patient!.selectedRow] else { return XCTFail() }
        XCTAssertEqual(session.id, Fixture.id(200))
    }

    func testHelpListsTheKeysOfTheScreenBeneath() {
        var s = Fixture.app()
        send(&s, .key(.enter), .key(.tab), .key(.char("?")))
        let g = view(s)
        assertContains(g, "Keys: Patient: goals and outcomes")
        assertContains(g, "record a measure (SWEMWBS, ONS4, UCLA-3)")
        for _ in 0..<50 { send(&s, .key(.char("j"))) }
        XCTAssertEqual(s.helpScroll, s.maxTextScroll, "scrolling stops at the end")
        send(&s, .key(.char("k")))
        XCTAssertEqual(s.helpScroll, s.maxTextScroll - 1)
        send(&s, .key(.char("?")))
        XCTAssertEqual(s.route, .patient)
    }

    func testHelpOnANarrowTerminalWrapsDescriptionsInsteadOfCuttingThem() {
        var s = Fixture.app(width: 50, height: 15)
        send(&s, .key(.char("?")))
        let g = view(s)
        XCTAssertEqual(g.rowText(10), "  /                filter by name, NHS number or")
        XCTAssertEqual(g.rowText(11), "                   reason")
        XCTAssertEqual(g.rowText(12).trimmingCharacters(in: .whitespaces), "↓ more (j)", "the marker has its own row")
        for _ in 0..<80 { send(&s, .key(.char("j"))) }
        assertContains(view(s), "Esc or ? closes this help.")
    }

    func testKeyTableHasNoDuplicateKeysWithinAContext() {
        for context in Context.allCases {
            var seen: [Key: Action] = [:]
            for b in KeyTable.bindings where b.contexts.contains(context) {
                for k in b.keys {
                    if let other = seen[k], other != b.action {
                        XCTFail("\(k.label) means both \(other) and \(b.action) in \(context)")
                    }
                    seen[k] = b.action
                }
            }
        }
    }

    func testResizeBelowMinimumIgnoresKeysButQuits() {
        var s = Fixture.app()
        send(&s, .resize(width: 20, height: 5))
        XCTAssertTrue(s.isTooSmall)
        XCTAssertEqual(send(&s, .key(.enter)), [])
        XCTAssertEqual(s.route, .patientList)
        XCTAssertEqual(send(&s, .key(.char("q"))), [.quit])
    }

    func testChangeStatusToDischargedWithAReason() {
        var s = Fixture.app()
        send(&s, .key(.enter), .key(.char("c")))
        send(&s, .key(.right))
        XCTAssertEqual(s.form?["status"], "discharged")
        send(&s, .key(.tab))
        type(&s, "goals met")
        // His review follow-up is open: the form asks what to do with it (cancel, here).
        send(&s, .key(.tab), .key(.tab), .key(.right), .key(.right))
        XCTAssertEqual(s.form?["followups"], "cancel them")
        let effects = send(&s, .key(.ctrl("s")))
        XCTAssertEqual(effects, [.append([.followupCancelled(FollowupCancelled(followupId: Fixture.id(604), date: Fixture.asOf, reason: "discharged", reschedulesSeen: 0)),
                                          .patientStatusChanged(PatientStatusChanged(patientId: Fixture.okafor, status: .discharged,
                                                                                     date: Fixture.asOf, reason: "goals met"))],
                                         purpose: .change(description: "status changed to discharged, 1 follow-up cancelled"))])
    }

    func testTheLetterIsTheGPSummaryTheCommandLinePrints() {
        var s = Fixture.app(width: 120, height: 60)
        send(&s, .key(.enter), .key(.char("M")))
        XCTAssertEqual(s.route, .letter)
        let expected = GPSummary(patientId: Fixture.okafor, state: s.caseload, workerId: s.workerId, asOf: s.asOf)!.text
        XCTAssertEqual(GPLetter.text(Fixture.okafor, s), expected)
        let g = view(s)
        for line in expected.split(separator: "\n") where line.count < 100 { assertContains(g, String(line)) }
    }

    func testDischargeShowsTheMessageToTheGP() {
        var fx = Fixture.standard()
        var s = Fixture.app()
        send(&s, .key(.enter), .key(.char("c")), .key(.right), .key(.tab))
        type(&s, "goals met")
        send(&s, .key(.tab), .key(.tab), .key(.right))
        carryOut(&s, send(&s, .key(.ctrl("s"))), fixture: &fx)
        XCTAssertEqual(s.route, .letter)
        let g = view(s)
        assertContains(g, "Message to the GP about Daniel Okafor")
        assertContains(g, "To: Dr Patel")
        assertContains(g, "Actions for the practice: No actions required.")
        assertContains(g, "- Walk with others every week: progress 2 → 7 of 10")
        assertContains(g, "Referred on 2026-08-01 by GP (Dr Patel) for loneliness, physical activity.")
        let letter = GPLetter.text(Fixture.okafor, s)
        for line in ["2 contacts between 2026-08-05 and 2026-10-12 (65 minutes in all).",
                     "- SWEMWBS metric score 17.43 → 21.54 (+4.11, a meaningful change), 2026-08-05 → 2026-10-12",
                     "- Thursday walking group: referred, engaged since", "Discharged on 2026-11-24: goals met."] {
            XCTAssertTrue(letter.contains(line), "the rest of the letter, below the fold: \(line)\n\(letter)")
        }
        XCTAssertFalse(g.text.contains("Consent to share"), "consent was given")
        XCTAssertEqual(g.rowText(23), " Saved: discharged. The message to the GP is below; M shows it again", "said whole at 80 columns")
        send(&s, .key(.escape))
        XCTAssertEqual(s.route, .patient)
        XCTAssertEqual(send(&s, .key(.char("u"))).count, 1, "the discharge can be undone")
    }

    func testFirstRunAsksForTheWorkerAndOpensTheStore() {
        var s = AppState.firstRun(asOf: Fixture.asOf)
        assertContains(view(s), "Welcome to Caseload: who is using it?")
        XCTAssertEqual(send(&s, .key(.enter), .key(.enter)), [], "a name is needed")
        XCTAssertEqual(s.form?.fields[0].error, "your name is needed")
        type(&s, "Amira Khan")
        send(&s, .key(.tab))
        type(&s, "North")
        XCTAssertEqual(send(&s, .key(.enter)), [.initialize(workerName: "Amira Khan", team: "North")])
        var f = Fixture()
        f.add(.workerRegistered(WorkerRegistered(workerId: "amira-khan", name: "Amira Khan", team: "North")))
        send(&s, .storeOpened(state: f.state, workerId: "amira-khan"))
        XCTAssertEqual(s.route, .patientList)
        assertContains(view(s), "Caseload · Amira Khan")
        assertContains(view(s), "No patients yet: press a to add a referral.")
    }

    func testAMistypedNHSNumberIsCaughtOnLeavingTheField() {
        var s = Fixture.app()
        send(&s, .key(.char("a")), .key(.tab), .key(.tab))
        type(&s, "401 023 2136")
        send(&s, .key(.tab))
        XCTAssertEqual(s.form?.fields[2].error, "the check digit does not match: a digit is probably mistyped")
        XCTAssertEqual(s.form?.focus, 3, "the person may carry on and come back")
        assertContains(view(s), "✗ the check digit does not match")
        send(&s, .key(.backTab), .key(.backspace))
        XCTAssertNil(s.form?.fields[2].error, "editing clears the mark")
        type(&s, "7")
        send(&s, .key(.tab))
        XCTAssertNil(s.form?.fields[2].error)
        type(&s, "1948-02-30")
        send(&s, .key(.enter))
        XCTAssertEqual(s.form?.fields[3].error, "not a date: write YYYY-MM-DD or DD/MM/YYYY, e.g. 2026-11-24")
    }

    func testAFieldProblemWrapsUnderTheValueInsteadOfBeingCutOff() {
        var s = Fixture.app()
        send(&s, .key(.char("a")), .key(.tab), .key(.tab))
        type(&s, "401 023 2136")
        send(&s, .key(.tab))
        // At 80 columns the whole message is on screen, ending with what to do about it.
        assertContains(view(s), "✗ the check digit does not match: a digit is")
        assertContains(view(s), "probably mistyped")
    }

    /// The header counts what is hers; someone referred and not yet seen counts as new.
    func testTheHeaderCountsHerOwnPatients() {
        var fx = Fixture()
        fx.add(.workerRegistered(WorkerRegistered(workerId: "amira", name: "Amira Khan", team: "North")))
        fx.add(.patientReferred(PatientReferred(patientId: Fixture.tadeusz, name: "Tadeusz Wiśniewski", worker: "amira",
                                                referral: Referral(date: Fixture.asOf, source: .gp, reasons: [.loneliness]))))
        let s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf, width: 80, height: 24)
        XCTAssertEqual(view(s).rowText(0), " Caseload · Amira Khan               yours: 1 · 0 overdue · 0 due today · 1 new")
    }

    /// Friday's referral is still new on Monday (and until she first sees the person); a
    /// colleague's referral and their overdue follow-ups are not in her counts.
    func testNewMeansNotYetSeenAndColleaguesAreNotCounted() {
        var fx = Fixture()
        fx.add(.workerRegistered(WorkerRegistered(workerId: "amira", name: "Amira Khan", team: "North")))
        fx.add(.workerRegistered(WorkerRegistered(workerId: "ben", name: "Ben Ortiz", team: "North")))
        let monday = Day("2026-11-30")!
        for (id, worker, date) in [(Fixture.tadeusz, "amira", "2026-11-27"), (Fixture.chen, "amira", "2026-10-01"), (Fixture.begum, "ben", "2026-11-29")] {
            fx.add(.patientReferred(PatientReferred(patientId: id, name: "P \(id.uuidString.suffix(2))", worker: worker,
                                                    referral: Referral(date: Day(date)!, source: .gp, reasons: [.loneliness]))))
            fx.add(.followupScheduled(FollowupScheduled(followupId: UUID(), patientId: id, due: Day("2026-11-20")!, reason: "call", worker: worker)))
        }
        fx.add(.sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: Fixture.chen, date: Day("2026-10-05")!, kind: .phone, minutes: nil, note: "Seen")))
        let s = AppState(caseload: fx.state, workerId: "amira", asOf: monday, width: 80, height: 24)
        XCTAssertEqual(s.headerCounts, HeaderCounts(patients: 2, overdue: 2, dueToday: 0, newReferrals: 1))
    }

    func testTheKeyListForTheREADMEComesFromTheTable() {
        let md = KeyTable.markdown()
        XCTAssertTrue(md.contains("### Patient list"))
        XCTAssertTrue(md.contains("| `/` | filter by name, NHS number or reason |"))
        XCTAssertTrue(md.contains("| `^S` | save the note as a session |"))
    }

    /// The README's "Keys" section is `caseload keys` with its headings one level down: a key
    /// added to the table and not to the README fails here.
    func testTheREADMEListsEveryKeyOfTheTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let expected = KeyTable.markdown().split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("### ") ? "#" + $0 : String($0) }.joined(separator: "\n")
        XCTAssertTrue(readme.contains(expected), "the README's keys differ from `caseload keys`: paste its output into the Keys section")
    }

    /// The note editor's editing keys were once handled outside the table, so `?` and
    /// `caseload keys` never listed them. Each now comes from the table.
    func testTheEditorsEditingKeysAreInTheTableAndItsHelp() {
        let editing: [Key] = [.enter, .backspace, .delete, .ctrl("w"), .alt("\u{7f}"), .left, .right, .up, .down,
                              .ctrlLeft, .alt("b"), .ctrlRight, .alt("f"), .home, .ctrl("a"), .end, .pageUp, .pageDown, .alt("<"), .alt(">")]
        for key in editing {
            XCTAssertNotNil(KeyTable.action(for: key, in: .noteEditor), "\(key.label) is not in the table")
        }
        XCTAssertTrue(KeyTable.markdown().contains("| `^W/M-Bksp` | delete the word before the cursor |"))

        var s = Fixture.app(width: 80, height: 40)
        send(&s, .key(.enter), .key(.char("n")))
        XCTAssertEqual(s.route, .noteEditor)
        type(&s, "Walked to the allotment")
        send(&s, .key(.ctrl("w")), .key(.home), .key(.char(">")), .key(.alt("f")), .key(.ctrl("w")))
        XCTAssertEqual(s.editor?.text, "> to the ", "^A, M-f and ^W moved and deleted by word through the table")
        send(&s, .key(.function(1)))
        let g = view(s)
        assertContains(g, "delete the word before the cursor")
        assertContains(g, "start of the line")
    }

    /// A form's editing keys (Bksp, Del, ←/→, Home/End, ^U, Space on a choice) are in its help too.
    func testAFormsEditingKeysAreInItsHelp() {
        var s = Fixture.app(width: 80, height: 40)
        send(&s, .key(.char("a")))
        XCTAssertEqual(s.route, .form)
        type(&s, "Ann Smyth")
        send(&s, .key(.left), .key(.backspace), .key(.end), .key(.char("e")))
        XCTAssertEqual(s.form?["name"], "Ann Smyhe", "← then Bksp took the t, End went back to the end")
        send(&s, .key(.ctrl("u")))
        XCTAssertEqual(s.form?["name"], "")
        send(&s, .key(.function(1)))
        let g = view(s)
        assertContains(g, "clear the field")
        assertContains(g, "start of the field")
        assertContains(g, "next choice (on a choice; elsewhere Space is typed)")
    }
}

/// The message screen saves the letter to a file: asks the format and where, remembers the
/// folder, and says where it went.
final class LetterSaveTests: XCTestCase {
    func testSavingAsksWhereWritesTheChosenFormatAndRemembersTheFolder() {
        var s = Fixture.app(width: 80, height: 24)
        s.homeFolder = "/home/amira"
        send(&s, .key(.enter), .key(.char("M")), .key(.char("s")))
        XCTAssertEqual(s.route, .form)
        let g = view(s)
        assertContains(g, "Save the message to the GP to a file")
        assertContains(g, "HTML page (prints on A4)")
        assertContains(g, "/home/amira")
        XCTAssertEqual(s.form?["folder"], "/home/amira", "the home folder the first time")
        // FHIR, into another folder, with the suggested name.
        send(&s, .key(.right))
        XCTAssertEqual(s.form?["format"], GPSummary.Format.fhir.label)
        send(&s, .key(.enter), .key(.ctrl("u")))
        type(&s, "/tmp/letters")
        let effects = send(&s, .key(.enter), .key(.enter))
        let summary = GPLetter.summary(Fixture.okafor, s)!
        let path = "/tmp/letters/" + summary.fileName(.fhir)
        XCTAssertEqual(effects, [.writeFile(path: path, contents: summary.rendered(.fhir))])
        XCTAssertFalse(path.contains("Okafor"), "the file name names no one")

        _ = update(&s, .fileWritten(path: path))
        XCTAssertEqual(s.route, .letter, "back on the letter")
        XCTAssertEqual(s.status?.text, "Saved \(summary.fileName(.fhir)) in /tmp/letters")
        assertContains(view(s), "Saved \(summary.fileName(.fhir)) in /tmp/letters")
        send(&s, .key(.char("s")))
        XCTAssertEqual(s.form?["folder"], "/tmp/letters", "the folder is remembered")
        _ = update(&s, .fileWritten(path: "/home/amira/GP letters/x.txt"))
        XCTAssertEqual(s.status?.text, "Saved x.txt in ~/GP letters", "the home folder is ~")
    }

    func testAFolderMustBeAWholePathAndAFailedWriteSaysWhy() {
        var s = Fixture.app(width: 80, height: 24)
        send(&s, .key(.enter), .key(.char("M")), .key(.char("s")), .key(.enter), .key(.ctrl("u")))
        type(&s, "letters")
        XCTAssertEqual(send(&s, .key(.enter), .key(.enter)), [], "nothing written")
        XCTAssertEqual(s.form?.fields[1].error, "give the whole path, starting with /")
        send(&s, .key(.ctrl("u")))
        type(&s, "/nowhere")
        XCTAssertEqual(send(&s, .key(.ctrl("s"))).count, 1)
        _ = update(&s, .fileWriteFailed(message: "cannot write /nowhere/x.html: No such file or directory"))
        XCTAssertEqual(s.route, .form, "the form stays, to choose another folder")
        assertContains(view(s), "Not saved: cannot write /nowhere/x.html")
    }
}

/// L on a person opens the connect picker: type to search, see when and where, Enter for the
/// details, Enter again to connect; with an empty directory, a service is added by hand.
final class ServicePickerTests: XCTestCase {
    func withDirectory() -> AppState {
        var s = Fixture.app(width: 80, height: 24)
        var c = s.caseload
        c.apply(Event(id: UUID(), device: UUID(), seq: 900, clock: HLC(wallMillis: 1_800_000_000_000), author: "amira",
                      body: .serviceAdded(ServiceAdded(serviceId: UUID(), name: "Knit and natter", category: "social", address: "Riverside Library, RV1 3CD",
                                                       times: "Thu, Fri 10:00-18:00", details: ServiceDetails(languages: "English; Polish")))))
        c.apply(Event(id: UUID(), device: UUID(), seq: 901, clock: HLC(wallMillis: 1_800_000_001_000), author: "amira",
                      body: .serviceAdded(ServiceAdded(serviceId: UUID(), name: "Debt advice", address: "Town Hall", times: "Mon 09:30-12:30"))))
        s.caseload = c
        return s
    }

    func testTypingSearchesEnterShowsDetailsAndEnterAgainConnects() {
        var s = withDirectory()
        send(&s, .key(.enter), .key(.char("L")))
        XCTAssertEqual(s.route, .servicePicker)
        var g = view(s)
        assertContains(g, "Connect Daniel Okafor to a service")
        assertContains(g, "Knit and natter  Thu, Fri 10:00-18:00 · Riverside Library, RV1 3CD")
        assertContains(g, "Debt advice  Mon 09:30-12:30 · Town Hall")
        type(&s, "polish")
        g = view(s)
        assertContains(g, "Search: polish  1 found")
        XCTAssertFalse(g.text.contains("Debt advice"), "searched by a detail: the languages")
        send(&s, .key(.ctrl("u")))  // not an editing key here: nothing happens
        for _ in 0..<6 { send(&s, .key(.backspace)) }
        type(&s, "mon")
        XCTAssertEqual(s.picker?.rows(in: s.caseload).map(\.name), ["Debt advice"], "by day")
        for _ in 0..<3 { send(&s, .key(.backspace)) }
        type(&s, "RV1")
        send(&s, .key(.enter))
        g = view(s)
        assertContains(g, "Knit and natter: Enter connects Daniel Okafor")
        assertContains(g, "Languages: English; Polish")
        assertContains(g, "When: Thu, Fri 10:00-18:00")
        send(&s, .key(.enter))
        XCTAssertEqual(s.route, .form)
        XCTAssertEqual(s.form?["service"], "Knit and natter")
        let effects = send(&s, .key(.ctrl("s")))
        guard case let .append(bodies, _)? = effects.first, case let .connectionMade(made)? = bodies.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(made.route, .signposted)
        XCTAssertEqual(s.caseload.services[made.serviceId]?.name, "Knit and natter")
    }

    func testTheSameServiceIsRefusedWhileTheFirstConnectionIsOpen() {
        var s = withDirectory()
        send(&s, .key(.enter), .key(.char("L")))
        type(&s, "walking")
        send(&s, .key(.enter), .key(.enter))
        XCTAssertEqual(s.form?["service"], "Thursday walking group")
        XCTAssertEqual(send(&s, .key(.ctrl("s"))), [], "nothing appended")
        let error = s.form?.fields[0].error ?? ""
        XCTAssertTrue(error.hasPrefix("already connected to this service (connection "), error)
        XCTAssertTrue(error.hasSuffix("): move that connection on instead"), error)
    }

    /// The PRSB standard keeps signposting (told about it) apart from referral (the service was
    /// contacted for them); she says which in the form, as `connect --route` does.
    func testTheConnectFormRecordsWhetherSheSignpostedOrReferred() {
        var s = withDirectory()
        send(&s, .key(.enter), .key(.char("L")))
        type(&s, "knit")
        send(&s, .key(.enter), .key(.enter))
        XCTAssertEqual(s.form?["route"], "signposted", "told about it, unless she says otherwise")
        assertContains(view(s), "Signposted or referred")
        while s.form.map({ $0.fields[$0.focus].key }) != "route" { send(&s, .key(.tab)) }
        send(&s, .key(.right))
        XCTAssertEqual(s.form?["route"], "referred")
        let effects = send(&s, .key(.ctrl("s")))
        guard case let .append(bodies, _)? = effects.first, case let .connectionMade(made)? = bodies.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(made.route, .referred)
        XCTAssertEqual(made.stage, .suggested)
    }

    func testAnEmptyDirectoryStillLetsHerAddAServiceWithItsPlaceTimesAndContact() {
        var s = Fixture.app(width: 80, height: 40)
        s.caseload.services = [:]
        send(&s, .key(.enter), .key(.char("L")))
        XCTAssertEqual(s.route, .form, "no picker over an empty directory")
        XCTAssertEqual(s.form?["service"], "(a new service)")
        type(&s, "Chair yoga")
        send(&s, .key(.enter)); type(&s, "Community centre, RV2 4EF")
        send(&s, .key(.enter)); type(&s, "Thu 09:00-10:00")
        send(&s, .key(.enter)); type(&s, "01632 960222")
        let effects = send(&s, .key(.ctrl("s")))
        guard case let .append(bodies, _)? = effects.first, case let .serviceAdded(added)? = bodies.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(added.name, "Chair yoga")
        XCTAssertEqual(added.address, "Community centre, RV2 4EF")
        XCTAssertEqual(added.times, "Thu 09:00-10:00")
        XCTAssertEqual(added.contact, "01632 960222")
    }
}

extension ServicePickerTests {
    func testControlNInThePickerAddsAServiceByHand() {
        var s = withDirectory()
        send(&s, .key(.enter), .key(.char("L")), .key(.ctrl("n")))
        XCTAssertEqual(s.route, .form)
        XCTAssertEqual(s.form?["service"], "(a new service)")
        XCTAssertEqual(s.form?.fields[s.form!.focus].key, "newName")
        send(&s, .key(.escape))
        XCTAssertEqual(s.route, .patient, "the picker is not left underneath")
        XCTAssertNil(s.picker)
    }
}

/// `update` makes new records' ids from the state alone: the same keys on the same state give
/// the same events, and the next record gets a new id.
final class PureIdsTests: XCTestCase {
    func addGoal(_ s: inout AppState, _ text: String) -> [EventBody] {
        send(&s, .key(.enter), .key(.tab), .key(.char("a")))
        type(&s, text)
        var bodies: [EventBody] = []
        for _ in 0..<3 {
            for case .append(let b, _) in send(&s, .key(.enter)) { bodies += b }
            if !bodies.isEmpty { break }
        }
        return bodies
    }

    func testTheSameKeysOnTheSameStateGiveTheSameIds() {
        var one = Fixture.app(width: 120, height: 40), two = Fixture.app(width: 120, height: 40)
        let first = addGoal(&one, "Join the choir")
        XCTAssertEqual(first.count, 1, "a goal was saved")
        XCTAssertEqual(first, addGoal(&two, "Join the choir"))
        var seeded = Fixture.app(width: 120, height: 40)
        seeded.ids = IdSource(seed: 7, 7)
        XCTAssertNotEqual(addGoal(&seeded, "Join the choir"), first, "another seed, another id")
    }
}

/// Questionnaires done on paper are entered later: dated in the past; an earlier answer brought
/// back is typed over; Esc with answers given asks before throwing them away.
final class MeasureFormHabitsTests: XCTestCase {
    func open() -> AppState {
        var s = Fixture.app()
        send(&s, .key(.enter), .key(.tab), .key(.char("m")))
        XCTAssertEqual(s.route, .measureForm)
        return s
    }

    func testAQuestionnaireCanBeDatedInThePastButNotAhead() {
        var s = open()
        type(&s, "---+")
        XCTAssertEqual(s.measure?.date, Fixture.asOf.adding(days: -2))
        assertContains(view(s), "Done on 2026-11-22: - a day earlier, + a day later")
        type(&s, "+++")
        XCTAssertEqual(s.measure?.date, Fixture.asOf, "never after today")
        type(&s, "-")
        send(&s, .key(.enter))
        for a in [3, 3, 2, 3, 2, 3, 2] { type(&s, String(a)); send(&s, .key(.enter)) }
        let effects = send(&s, .key(.enter))
        guard case .append(let bodies, _)? = effects.first, case .measureRecorded(let m) = bodies[0] else { return XCTFail("\(effects)") }
        XCTAssertEqual(m.date, Day("2026-11-23")!)
    }

    func testTypingOverAnAnswerBroughtBackReplacesIt() {
        var s = open()
        send(&s, .key(.enter))
        type(&s, "3")
        send(&s, .key(.enter), .key(.backspace))
        XCTAssertEqual(s.measure?.input.text, "3")
        type(&s, "4")
        XCTAssertEqual(s.measure?.input.text, "4", "the 3 is replaced, not made 34")
        send(&s, .key(.enter))
        XCTAssertEqual(s.measure?.answers, [4])
    }

    func testEscWithAnswersAsksFirst() {
        var s = open()
        send(&s, .key(.escape))
        XCTAssertNotEqual(s.route, .measureForm, "nothing answered: Esc just leaves")
        s = open()
        send(&s, .key(.enter))
        type(&s, "3")
        send(&s, .key(.enter), .key(.escape))
        XCTAssertEqual(s.route, .measureForm)
        XCTAssertTrue(s.status?.text.hasPrefix("Discard the answers?") ?? false, s.status?.text ?? "")
        type(&s, "2")
        XCTAssertEqual(s.measure?.input.text, "2", "another key carries on")
        send(&s, .key(.escape), .key(.escape))
        XCTAssertNotEqual(s.route, .measureForm)
    }
}
