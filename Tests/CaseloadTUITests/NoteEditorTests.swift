import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// The note editor: typing, paste, autosave of drafts, the draft offer, saving, amending.
final class NoteEditorTests: XCTestCase {
    /// Opens Mr Okafor's record and a new note in it.
    func openEditor() -> AppState {
        var s = Fixture.app()
        send(&s, .tick(now: 100), .key(.enter), .key(.char("n")))
        XCTAssertEqual(s.route, .noteEditor)
        return s
    }

    func testTypingPastingAndWideCharacters() {
        var s = openEditor()
        type(&s, "Siobhán met 王小明 😀")
        send(&s, .key(.enter), .paste("12 Ffordd y Môr\nAberystwyth"))
        XCTAssertEqual(s.editor?.text, "Siobhán met 王小明 😀\n12 Ffordd y Môr\nAberystwyth")
        XCTAssertEqual(s.route, .noteEditor, "the newline in the paste was text, not Enter")
        let g = view(s)
        XCTAssertEqual(g.rowText(5), " Siobhán met 王小明 😀")
        XCTAssertEqual(g.rowText(7), " Aberystwyth")
        XCTAssertEqual(g.cursor?.x, 12)
        XCTAssertEqual(g.cursor?.y, 7)
        send(&s, .key(.ctrl("z")))
        XCTAssertEqual(s.editor?.text, "Siobhán met 王小明 😀\n", "a paste is one undo step")
    }

    func testTheDraftIsSavedOnAPauseAndEveryFewSecondsWhileTyping() {
        var fx = Fixture.standard()
        var s = openEditor()
        XCTAssertEqual(send(&s, .tick(now: 101)), [], "nothing typed, nothing to save")
        type(&s, "Felt low")
        XCTAssertEqual(send(&s, .tick(now: 101.5)), [], "still typing")
        let pause = send(&s, .tick(now: 103))
        guard case .append(let bodies, .draft(let draftId))? = pause.first, case .draftSaved(let d) = bodies[0] else {
            return XCTFail("\(pause)")
        }
        XCTAssertEqual(d.text, "Felt low")
        XCTAssertEqual(d.patientId, Fixture.okafor)
        assertContains(view(s), "draft: changed")
        carryOut(&s, pause, fixture: &fx)
        assertContains(view(s), "draft: saved")
        XCTAssertEqual(send(&s, .tick(now: 104)), [], "saved: nothing more to do")

        // Typing without a pause still saves every few seconds.
        for t in stride(from: 104.5, through: 110.0, by: 0.5) {
            type(&s, "x")
            let effects = send(&s, .tick(now: t))
            if t - 103 >= AppState.draftMaxIntervalSeconds {
                XCTAssertEqual(effects.count, 1, "saved while typing at \(t)")
                carryOut(&s, effects, fixture: &fx)
                break
            }
            XCTAssertEqual(effects, [], "not yet at \(t)")
        }
        XCTAssertEqual(fx.state.drafts[draftId]?.text.hasPrefix("Felt lowx"), true, "the same draft is overwritten")
    }

    func testReopeningOffersTheDraftBack() {
        var fx = Fixture.standard()
        var s = openEditor()
        type(&s, "Half a note")
        carryOut(&s, send(&s, .tick(now: 105)), fixture: &fx)
        // The battery dies: the next start folds the journal as it is.
        var reopened = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        XCTAssertEqual(reopened.route, .patientList)
        assertContains(view(reopened), "Unsaved draft note for Daniel Okafor: press D to restore it")
        assertContains(view(reopened), "▶ Daniel Okafor ✎ draft")
        send(&reopened, .key(.char("D")))
        XCTAssertEqual(reopened.route, .draftOffer)
        assertContains(view(reopened), "Unsaved draft note")
        assertContains(view(reopened), "for Daniel Okafor, phone session on 2026-11-24")
        send(&reopened, .key(.char("r")))
        XCTAssertEqual(reopened.route, .noteEditor)
        XCTAssertEqual(reopened.routes, [.patientList, .patient, .noteEditor])
        XCTAssertEqual(reopened.editor?.text, "Half a note")
        XCTAssertEqual(reopened.editor?.needsDraftSave, false)
    }

    func testDiscardingTheOfferedDraft() {
        var fx = Fixture.standard()
        var s = openEditor()
        type(&s, "Not needed")
        carryOut(&s, send(&s, .tick(now: 105)), fixture: &fx)
        var reopened = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        send(&reopened, .key(.enter), .key(.char("n")))
        XCTAssertEqual(reopened.route, .draftOffer, "a new note on the patient offers the draft first")
        let draftId = fx.state.drafts.keys.first!
        let effects = send(&reopened, .key(.char("d")))
        XCTAssertEqual(effects, [.append([.draftDiscarded(DraftDiscarded(draftId: draftId))], purpose: .draftDiscarded)])
        XCTAssertEqual(reopened.route, .patient)
    }

    func testSavingRecordsTheSessionAndClosesOnceOnDisk() {
        var fx = Fixture.standard()
        var s = openEditor()
        send(&s, .key(.tab), .key(.tab), .key(.tab))
        type(&s, "25")
        // minutes → outcome → text → date → method
        send(&s, .key(.tab), .key(.tab), .key(.tab), .key(.tab), .key(.right))
        XCTAssertEqual(s.editor?.kind, .faceToFace)
        send(&s, .key(.tab), .key(.tab), .key(.tab))
        type(&s, "Talked about the allotment.")
        let effects = send(&s, .key(.ctrl("s")))
        guard case .append(let bodies, .note)? = effects.first, case .sessionRecorded(let r) = bodies[0] else { return XCTFail("\(effects)") }
        XCTAssertEqual(r.minutes, 25)
        XCTAssertEqual(r.kind, .faceToFace)
        XCTAssertEqual(r.note, "Talked about the allotment.")
        XCTAssertEqual(r.draftId, s.editor?.draftId)
        XCTAssertEqual(s.route, .noteEditor, "still open until the journal says saved")
        carryOut(&s, effects, fixture: &fx)
        XCTAssertEqual(s.route, .patient)
        assertContains(view(s), "Talked about the allotment.")
        XCTAssertEqual(s.status?.text, "Saved: face to face session note")
    }

    func testAFailedSaveKeepsTheEditorOpen() {
        var s = openEditor()
        type(&s, "Important")
        let effects = send(&s, .key(.ctrl("s")))
        guard case .append(_, let purpose)? = effects.first else { return XCTFail() }
        send(&s, .saveFailed(purpose: purpose, message: "disk full"))
        XCTAssertEqual(s.route, .noteEditor)
        XCTAssertEqual(s.editor?.text, "Important")
        XCTAssertEqual(s.status, StatusMessage("Not saved: disk full", kind: .error))
    }

    func testABadDateIsCaughtAndTheNoteKept() {
        var s = openEditor()
        send(&s, .key(.tab))
        send(&s, .key(.backspace), .key(.backspace))
        type(&s, "99")
        send(&s, .key(.tab), .key(.tab), .key(.tab), .key(.tab))
        type(&s, "note")
        XCTAssertEqual(send(&s, .key(.ctrl("s"))), [])
        XCTAssertEqual(s.editor?.focus, .date)
        XCTAssertEqual(s.editor?.text, "note")
        assertContains(view(s), "✗ Date: write YYYY-MM-DD")
    }

    func testAmendingKeepsTheEarlierVersion() {
        var fx = Fixture.standard()
        var s = Fixture.app()
        send(&s, .key(.enter))
        send(&s, .key(.char("e")))
        XCTAssertEqual(s.editor?.isAmendment, true)
        XCTAssertEqual(s.editor?.text, "Went to the walking group twice. Feels more himself.")
        XCTAssertEqual(send(&s, .key(.ctrl("s"))), [], "no change, nothing to save")
        type(&s, " Wants to lead a walk.")
        let effects = send(&s, .key(.ctrl("s")))
        guard case .append(let bodies, _)? = effects.first, case .sessionAmended(let a) = bodies[0] else { return XCTFail("\(effects)") }
        XCTAssertEqual(a.sessionId, Fixture.id(201))
        carryOut(&s, effects, fixture: &fx)
        XCTAssertEqual(fx.state.sessions[Fixture.id(201)]?.versions.count, 2)
        assertContains(view(s), "amended 1×")
    }

    func testQuitWithANoteOpenAsksFirstAndKeepsTheDraft() {
        var s = openEditor()
        type(&s, "q is text here")
        XCTAssertEqual(s.editor?.text, "q is text here")
        XCTAssertEqual(send(&s, .key(.ctrl("q"))), [])
        XCTAssertEqual(s.route, .confirmQuit)
        assertContains(view(s), "Quit and keep it as a draft")
        send(&s, .key(.char("n")))
        XCTAssertEqual(s.route, .noteEditor)
        send(&s, .key(.ctrl("q")))
        let effects = send(&s, .key(.char("y")))
        XCTAssertEqual(effects.count, 2)
        XCTAssertEqual(effects.last, .quit)
        guard case .append(_, .draft)? = effects.first else { return XCTFail("the draft is saved before quitting") }
    }

    /// A signal or a terminal that hung up: nothing can be asked, so the note is kept as a
    /// draft and the app quits; elsewhere it just quits.
    func testStoppingKeepsTheNoteAsADraftWithoutAsking() {
        var s = openEditor()
        type(&s, "Rang; no answer")
        let effects = send(&s, .stop)
        XCTAssertEqual(effects.last, .quit)
        guard case .append(let bodies, .draft)? = effects.first, case .draftSaved(let d) = bodies[0] else {
            return XCTFail("the draft is saved before stopping: \(effects)")
        }
        XCTAssertEqual(d.text, "Rang; no answer")
        var list = Fixture.app()
        XCTAssertEqual(send(&list, .stop), [.quit])
    }

    func testEscKeepsTheDraftAndNOffersItAgain() {
        var fx = Fixture.standard()
        var s = openEditor()
        type(&s, "Later")
        carryOut(&s, send(&s, .key(.escape)), fixture: &fx)
        XCTAssertEqual(s.route, .patient)
        XCTAssertEqual(fx.state.drafts.values.first?.text, "Later")
        send(&s, .key(.char("n")))
        XCTAssertEqual(s.route, .draftOffer)
        send(&s, .key(.enter))
        XCTAssertEqual(s.editor?.text, "Later")
    }

    func testEditorAt120x40AndResizeKeepsTheCursorVisible() {
        var s = openEditor()
        send(&s, .resize(width: 120, height: 40))
        for i in 0..<60 { type(&s, "Line \(i)"); send(&s, .key(.enter)) }
        let g = view(s)
        XCTAssertEqual(g.cursor?.y, 37, "the last row of the text area")
        send(&s, .resize(width: 40, height: 10))
        let small = view(s)
        XCTAssertNotNil(small.cursor)
        XCTAssertLessThan(small.cursor!.y, 10)
    }

    func testExternalEditorTextReplacesTheNoteAndIsSavedAsADraft() {
        var s = openEditor()
        type(&s, "short")
        let opened = send(&s, .key(.ctrl("e")))
        guard case .append(let saved, .draft)? = opened.first, case .draftSaved(let first) = saved[0] else { return XCTFail("the draft is saved before $EDITOR opens: \(opened)") }
        XCTAssertEqual(first.text, "short")
        XCTAssertEqual(opened.last, .openExternalEditor(text: "short", draftId: s.editor!.draftId))
        let effects = send(&s, .externalEditorClosed(text: "Longer, from vi: Łódź 王\n\nSecond."))
        XCTAssertEqual(s.editor?.text, "Longer, from vi: Łódź 王\n\nSecond.")
        guard case .append(let bodies, .draft)? = effects.first, case .draftSaved(let d) = bodies[0] else { return XCTFail("\(effects)") }
        XCTAssertEqual(d.text, "Longer, from vi: Łódź 王\n\nSecond.")
        send(&s, .externalEditorClosed(text: nil))
        XCTAssertEqual(s.editor?.text, "Longer, from vi: Łódź 王\n\nSecond.", "a failed editor changes nothing")
        XCTAssertEqual(s.status?.kind, .error)
    }

    func testQuittingFromATooSmallTerminalWithANoteOpen() {
        var s = openEditor()
        type(&s, "text")
        send(&s, .resize(width: 12, height: 4), .key(.char("q")), .key(.char("q")))
        XCTAssertEqual(s.routes.filter { $0 == .confirmQuit }.count, 1)
        XCTAssertEqual(view(s).rowText(1), "Quit? The n…")
        let effects = send(&s, .key(.char("y")))
        XCTAssertEqual(effects.last, .quit)
        XCTAssertEqual(effects.count, 2, "the draft is saved first")
    }
}

/// A huge note is bounded in the editor and its autosave is spaced out.
extension NoteEditorTests {
    func testAPasteOrAnEditorTextPastTheNoteLimitIsRefusedAndTheNoteKept() {
        var s = openEditor()
        type(&s, "Kept")
        send(&s, .paste(String(repeating: "x", count: RecordLimits.maxLongText)))
        XCTAssertEqual(s.editor?.text, "Kept", "the paste would pass 1 MiB")
        XCTAssertEqual(s.status?.kind, .error)
        XCTAssertTrue(s.status?.text.contains("at most 1 MiB") == true, s.status?.text ?? "")
        send(&s, .externalEditorClosed(text: String(repeating: "é", count: RecordLimits.maxLongText)))
        XCTAssertEqual(s.editor?.text, "Kept")
        // Up to the limit is fine, and then one more key is refused.
        send(&s, .paste(String(repeating: "y", count: RecordLimits.maxLongText - 4)))
        XCTAssertEqual(s.editor?.text.utf8.count, RecordLimits.maxLongText)
        type(&s, "z")
        XCTAssertEqual(s.editor?.text.utf8.count, RecordLimits.maxLongText)
        XCTAssertEqual(s.editor?.text.last, "y")
    }

    func testAutosaveOfAHugeNoteIsSpacedOutInProportionToItsSize() {
        var fx = Fixture.standard()
        var s = openEditor()
        send(&s, .paste(String(repeating: "word ", count: 60_000)))   // 300,000 characters
        let intervals = AppState.draftIntervals(characters: 300_000)
        XCTAssertEqual(intervals.pause, 1.5 * 300_000 / 65_536, accuracy: 0.01)
        // A short note saves after a 1.5 s pause; this one waits about 4.6 times longer.
        XCTAssertEqual(send(&s, .tick(now: 103)), [], "not after a short pause")
        XCTAssertEqual(send(&s, .tick(now: 106)), [], "still not")
        let saved = send(&s, .tick(now: 108))
        XCTAssertEqual(saved.count, 1, "saved once the longer pause has passed")
        carryOut(&s, saved, fixture: &fx)
        // Typing on without a pause: a save every 18 s, not one every 4 s.
        var saves = 0
        for t in stride(from: 109.0, through: 148.0, by: 2.0) {
            type(&s, "x")
            let effects = send(&s, .tick(now: t))
            saves += effects.count
            carryOut(&s, effects, fixture: &fx)
        }
        XCTAssertEqual(saves, 2, "40 s of typing, two saves of the whole draft (a short note: ten)")
        XCTAssertEqual(AppState.draftIntervals(characters: 100).most, AppState.draftMaxIntervalSeconds, "short notes as before")
    }
}
