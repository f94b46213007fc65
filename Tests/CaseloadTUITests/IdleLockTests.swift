import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// The idle lock: after the idle time the screen holds nothing personal, every key goes to the
/// lock, and a note being typed is still there after unlocking.
final class IdleLockTests: XCTestCase {
    /// Every string of Mr Okafor's that his record and the list show.
    let personal = ["Okafor", "Daniel", "Tadeusz", "Wiśniewski", "Siobhán", "Begum", "Wei Chen", "王小明",
                    "walking group", "Walk with others", "Amira", "allotment", "Felt low"]

    func assertNothingPersonal(_ grid: Grid, file: StaticString = #filePath, line: UInt = #line) {
        for s in personal where grid.text.contains(s) {
            XCTFail("the locked screen shows \"\(s)\":\n\(grid.text)", file: file, line: line)
        }
    }

    /// Mr Okafor's record, a new note in it, and a few words typed.
    func typingANote(needsPassphrase: Bool) -> AppState {
        var s = Fixture.app()
        s.idleLockSeconds = 300
        s.needsPassphrase = needsPassphrase
        send(&s, .tick(now: 100), .key(.enter), .key(.char("n")))
        type(&s, "Felt low")
        XCTAssertEqual(s.route, .noteEditor)
        XCTAssertTrue(view(s).text.contains("Okafor"), "the record is on screen before the lock")
        return s
    }

    func testAfterTheIdleTimeTheScreenShowsNothingPersonalAndTheDraftSurvivesUnlock() {
        var s = typingANote(needsPassphrase: true)
        send(&s, .tick(now: 399))
        XCTAssertNil(s.lock, "not yet: 299 s since the last key")
        // The draft autosave still runs on the ticks while locked.
        let atLock = send(&s, .tick(now: 401))
        XCTAssertNotNil(s.lock)
        let locked = view(s)
        assertNothingPersonal(locked)
        assertContains(locked, "Caseload is locked")
        assertContains(locked, "Type your passphrase and press Enter")
        if case .append(let bodies, .draft)? = atLock.first, case .draftSaved(let d) = bodies[0] {
            XCTAssertEqual(d.text, "Felt low", "the draft is saved, not lost, as the screen locks")
        }

        // Keys go to the lock, never to the note beneath; what is typed shows only as dots.
        type(&s, "wrong horse")
        assertNothingPersonal(view(s))
        XCTAssertFalse(view(s).text.contains("wrong horse"))
        assertContains(view(s), "Passphrase: •••••••••••")
        XCTAssertEqual(send(&s, .key(.enter)), [.checkPassphrase(Array("wrong horse".utf8))])
        send(&s, .passphraseChecked(ok: false))
        assertContains(view(s), "Wrong passphrase (1 try)")
        assertNothingPersonal(view(s))
        XCTAssertEqual(s.editor?.text, "Felt low", "nothing typed at the lock reached the note")

        type(&s, "correct battery")
        XCTAssertEqual(send(&s, .key(.enter)), [.checkPassphrase(Array("correct battery".utf8))])
        send(&s, .passphraseChecked(ok: true))
        XCTAssertNil(s.lock)
        XCTAssertEqual(s.route, .noteEditor)
        XCTAssertEqual(s.editor?.text, "Felt low")
        type(&s, " today")
        XCTAssertEqual(s.editor?.text, "Felt low today", "typing goes on where it was")
        assertContains(view(s), "Felt low today")
    }

    func testAKeyPutsTheLockOffAndTheIdleTimeCountsFromTheLastInput() {
        var s = typingANote(needsPassphrase: true)
        send(&s, .tick(now: 350))
        type(&s, ".")
        send(&s, .tick(now: 600))
        XCTAssertNil(s.lock, "250 s since the last key")
        send(&s, .tick(now: 651))
        XCTAssertNotNil(s.lock)
    }

    func testAPlainCaseloadLocksTooAndOnlyEnterShowsItAgain() {
        var s = typingANote(needsPassphrase: false)
        send(&s, .tick(now: 500))
        assertNothingPersonal(view(s))
        assertContains(view(s), "Press Enter to show the caseload again")
        XCTAssertEqual(send(&s, .key(.char("q")), .key(.escape), .key(.ctrl("s"))), [], "no key acts beneath the lock")
        XCTAssertNotNil(s.lock)
        XCTAssertEqual(send(&s, .key(.enter)), [])
        XCTAssertNil(s.lock)
        XCTAssertEqual(s.editor?.text, "Felt low")
    }

    func testZeroNeverLocksAndTheListIsHiddenToo() {
        var s = Fixture.app()
        s.idleLockSeconds = 0
        send(&s, .tick(now: 1), .tick(now: 100_000))
        XCTAssertNil(s.lock)

        var list = Fixture.app()
        list.idleLockSeconds = 60
        send(&list, .tick(now: 1))
        XCTAssertTrue(view(list).text.contains("Okafor"))
        send(&list, .tick(now: 62))
        assertNothingPersonal(view(list))
        list.width = 20; list.height = 5
        assertNothingPersonal(view(list))
    }
}
