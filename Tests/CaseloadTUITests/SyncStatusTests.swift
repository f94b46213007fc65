import CaseloadCore
@testable import CaseloadTUI
import Foundation
import XCTest

final class SyncStatusTests: XCTestCase {
    func testTheTeamViewSaysWhenAWorkerLastSyncedAndMarksOldDataAsStale() {
        var f = Fixture.standard()
        // Ben's device last synced on Sunday 15 November (clock in ms, UTC noon).
        let sunday = Int64(Day("2026-11-15")!.ordinal) * 86_400_000 + 43_200_000
        f.events.append(Event(id: UUID(), device: UUID(), seq: 1, clock: HLC(wallMillis: sunday), author: "ben",
                              body: .deviceSynced(DeviceSynced(target: "folder"))))
        var s = AppState(caseload: f.state, workerId: "amira", asOf: Fixture.asOf, width: 120, height: 40)
        send(&s, .key(.char("t")))
        let g = view(s)
        XCTAssertEqual(g.rowText(2), "  Ben Ortiz · 2 open · 1 overdue · last synced Sun 15 Nov — may be out of date")
        XCTAssertEqual(g.rowText(4), "  Amira Khan · 4 open · 1 overdue")
        // Two days after that sync it is still fresh.
        s.asOf = Day("2026-11-17")!
        XCTAssertTrue(view(s).rowText(2).hasSuffix("last synced Sun 15 Nov"), view(s).rowText(2))
    }

    func testAt80ColumnsTheStaleWarningIsNotCutOff() {
        var f = Fixture.standard()
        let sunday = Int64(Day("2026-11-15")!.ordinal) * 86_400_000 + 43_200_000
        f.events.append(Event(id: UUID(), device: UUID(), seq: 1, clock: HLC(wallMillis: sunday), author: "ben",
                              body: .deviceSynced(DeviceSynced(target: "folder"))))
        f.add(.workerRegistered(WorkerRegistered(workerId: "ben", name: "Benedykt Ó Súilleabháin", team: "North")), author: "ben") // his own: only he or a supervisor may rename him
        var s = AppState(caseload: f.state, workerId: "amira", asOf: Fixture.asOf, width: 80, height: 24)
        send(&s, .key(.char("t")))
        let g = view(s)
        // Too long for one line at 80 columns: the warning goes on its own line, whole.
        XCTAssertEqual(g.rowText(2), "  Benedykt Ó Súilleabháin · 2 open · 1 overdue")
        XCTAssertEqual(g.rowText(3), "    last synced Sun 15 Nov — may be out of date")
        XCTAssertEqual(g.rowText(4), "▶ Rahima Begum                 ! 12d overdue  money advice call")
        XCTAssertFalse(g.text.contains("…"), g.text)
        send(&s, .key(.down))
        XCTAssertEqual(s.team.selected, 1, "the extra line is not a stop for the selection")
    }

    func testTheTeamViewShowsEventsTheServerRefusedFromAWorkersDevice() {
        var f = Fixture.standard()
        let sunday = Int64(Day("2026-11-23")!.ordinal) * 86_400_000 + 43_200_000
        f.events.append(Event(id: UUID(), device: UUID(), seq: 1, clock: HLC(wallMillis: sunday), author: "ben",
                              body: .deviceSynced(DeviceSynced(target: "postgres"))))
        var s = AppState(caseload: f.state, workerId: "amira", asOf: Fixture.asOf, width: 120, height: 40)
        var sync = SyncStatus(device: Fixture.device, lastAt: sunday, pushedSeq: 0)
        sync.viaPostgres = true
        sync.notOnServer = ["ben": 45_000]
        s.sync = sync
        send(&s, .key(.char("t")))
        XCTAssertEqual(view(s).rowText(2), "  Ben Ortiz · 2 open · 1 overdue · last synced Mon 23 Nov — 45000 events the server refused")
    }

    func testTheStatusLineShowsTheLastSyncAndWhatIsWaiting() {
        var s = Fixture.app(width: 100, height: 24)
        let events = Fixture.standard().events.count
        let at = Date(timeIntervalSince1970: 1_795_528_920)  // 14:02 UTC on Tuesday 24 November 2026
        s.sync = SyncStatus(device: Fixture.device, lastAt: Int64(at.timeIntervalSince1970 * 1000), pushedSeq: UInt64(events - 3))
        XCTAssertEqual(s.sync?.label(in: s.caseload, now: WallClock(date: at, timeZone: TimeZone(identifier: "UTC")!)), "last sync 14:02 · 3 waiting")
        XCTAssertEqual(s.sync?.label(in: s.caseload, now: WallClock(date: at.addingTimeInterval(86_400), timeZone: TimeZone(identifier: "UTC")!)), "last sync Tue 24 Nov · 3 waiting")
        s.sync?.pushedSeq = UInt64(events)
        XCTAssertEqual(s.sync?.label(in: s.caseload, now: WallClock(date: at, timeZone: TimeZone(identifier: "UTC")!)), "last sync 14:02")
        XCTAssertTrue(view(s).rowText(23).contains("last sync "), view(s).rowText(23))
    }

    func testALongMessageGoesBeforeTheSyncAndDateLabels() {
        var s = Fixture.app()
        let events = Fixture.standard().events.count
        s.sync = SyncStatus(device: Fixture.device, lastAt: 1_795_528_920_000, pushedSeq: UInt64(events - 3))
        s.status = StatusMessage("Saved: discharged. The message to the GP is below; Esc closes it (M shows it again)", kind: .saved)
        XCTAssertEqual(view(s).rowText(23), " Saved: discharged. The message to the GP is below; Esc closes it (M shows it…")
        s.status = StatusMessage("Saved: follow-up moved to 2026-12-01; the next one for Oisín Wiśniewski is on 2026-12-08", kind: .saved)
        XCTAssertEqual(view(s).rowText(23).trimmingCharacters(in: .whitespaces), "Saved: follow-up moved to 2026-12-01; the next one for Oisín Wiśniewski is o…")
        // A standing notice stays up for a while: the sync and date labels keep their place.
        s.status = StatusMessage("Unsaved draft note for Oisín Wiśniewski: press D to restore it", kind: .info)
        XCTAssertTrue(view(s).rowText(23).hasSuffix(" · 3 waiting · as of 2026-11-24"), view(s).rowText(23))
        s.status = StatusMessage("Saved: goal added")
        XCTAssertTrue(view(s).rowText(23).hasSuffix(" · 3 waiting · as of 2026-11-24"), "short messages leave both labels")
    }

    func testASyncThatBringsInASecondRecordOfSomeoneSaysSoAt80Columns() {
        var fx = Fixture.standard()
        var s = Fixture.app()
        s.sync = SyncStatus(device: Fixture.device, lastAt: 1_795_528_920_000, pushedSeq: 0, folder: "/media/stick/caseload")
        fx.add(.patientReferred(PatientReferred(patientId: Fixture.id(900), name: "Daniel OKAFOR", dateOfBirth: Day("1961-01-20"), worker: "ben",
                                                referral: Referral(date: Fixture.asOf, source: .gp, reasons: [.loneliness]))), author: "ben")
        var synced = s.sync!
        synced.pushedSeq = UInt64(fx.events.count)
        _ = update(&s, .synced(state: fx.state, sync: synced, summary: "sent 3 events, received 1 from 1 device"))
        XCTAssertEqual(s.status?.text, "Synced: sent 3 events, received 1 from 1 device; 1 likely duplicate (see their screen)")
        // At 80 columns the news of the duplicate is kept whole, before the counts.
        XCTAssertTrue(view(s).rowText(23).hasPrefix(" Synced; 1 likely duplicate (see their screen) "), view(s).rowText(23))
        s.openPatient(Fixture.okafor)
        assertContains(view(s), "! may be a duplicate of Daniel OKAFOR")
    }

    func testYSyncsWithTheLastFolderAndShowsProgressAndTheResult() {
        var s = Fixture.app(width: 100, height: 24)
        XCTAssertEqual(send(&s, .key(.char("Y"))), [])
        XCTAssertTrue(s.status?.text.contains("caseload sync folder PATH") ?? false, s.status?.text ?? "")
        XCTAssertTrue(view(s).rowText(23).hasPrefix(" No sync folder yet: run `caseload sync folder PATH` once "), "whole at 80 columns: \(view(s).rowText(23))")
        s.sync = SyncStatus(device: Fixture.device, lastAt: 1_795_528_920_000, pushedSeq: 0, folder: "/media/stick/caseload")
        XCTAssertEqual(send(&s, .key(.char("Y"))), [.syncFolder(path: "/media/stick/caseload")])
        s.syncProgress = ("Receiving", 40_000, 100_000)
        let bar = view(s).rowText(23)
        XCTAssertTrue(bar.contains("Receiving ██████░░░░░░░░░░ 40000 of 100000 events"), bar)
        var synced = s.sync!
        synced.pushedSeq = UInt64(Fixture.standard().events.count)
        _ = update(&s, .synced(state: s.caseload, sync: synced, summary: "sent 3 events, received none"))
        XCTAssertNil(s.syncProgress)
        XCTAssertEqual(s.status?.text, "Synced: sent 3 events, received none")
        XCTAssertEqual(s.sync?.waiting(in: s.caseload), 0)
        _ = update(&s, .syncFailed(message: "the sync folder /media/stick/caseload does not exist (is the drive connected?); nothing was changed"))
        XCTAssertEqual(s.status?.kind, .error)
    }
}

final class MergeConflictViewTests: XCTestCase {
    func testTheTimelineMarksANoteAmendedOnTwoDevicesAtOnceAndShowsTheOtherVersion() {
        var f = Fixture.standard()
        let session = Fixture.id(201)
        let original = f.events.first { if case .sessionRecorded(let r) = $0.body { return r.sessionId == session } else { return false } }!
        f.add(.sessionAmended(SessionAmended(sessionId: session, note: "Went to the walking group twice.", basedOn: original.id)))
        f.add(.sessionAmended(SessionAmended(sessionId: session, note: "Walking group twice; wants to try the choir.", basedOn: original.id)), author: "ben")
        var s = AppState(caseload: f.state, workerId: "amira", asOf: Fixture.asOf, width: 120, height: 40)
        XCTAssertEqual(s.caseload.sessions[session]?.conflictNote, "2 versions written at the same time on different devices")
        send(&s, .key(.enter))
        let text = view(s).text
        XCTAssertTrue(text.contains("! 2 versions written at the same time on different devices"), text)
        XCTAssertTrue(text.contains("! another version by"), text)
    }

    func testTheOtherVersionOfAConflictingNoteIsShownWholeAt80Columns() {
        var f = Fixture.standard()
        let session = Fixture.id(201)
        let original = f.events.first { if case .sessionRecorded(let r) = $0.body { return r.sessionId == session } else { return false } }!
        // Amira's is the earlier of the two, so it is the one shown as "another version".
        f.add(.sessionAmended(SessionAmended(sessionId: session, note: "Gas arrears about £320 (checked the bill); Citizens Advice appointment on Tuesday at 10.",
                                             basedOn: original.id)))
        f.add(.sessionAmended(SessionAmended(sessionId: session, note: "Went to the walking group twice.", basedOn: original.id)), author: "ben")
        var s = AppState(caseload: f.state, workerId: "amira", asOf: Fixture.asOf, width: 80, height: 24)
        send(&s, .key(.enter))
        let text = view(s).text
        XCTAssertTrue(text.contains("      Gas arrears about £320 (checked the bill); Citizens Advice appointment\n"), text)
        XCTAssertTrue(text.contains("Tuesday at 10."), "the end of the other version is on screen too: \(text)")
    }

    static let conflicted = Fixture.id(604)

    /// Daniel Okafor's review, done on amira's device and moved on ben's, on his follow-ups pane.
    static func doneHereRescheduledThere() -> (Fixture, AppState) {
        var f = Fixture.standard()
        f.add(.followupCompleted(FollowupCompleted(followupId: conflicted, date: Day("2026-11-23")!)))
        f.add(.followupRescheduled(FollowupRescheduled(followupId: conflicted, due: Day("2026-12-01")!, reason: "away", date: Day("2026-11-23")!)), author: "ben")
        var s = AppState(caseload: f.state, workerId: "amira", asOf: Fixture.asOf, width: 120, height: 40)
        send(&s, .key(.enter), .key(.tab), .key(.tab), .key(.tab))
        return (f, s)
    }

    func testAFollowupDoneOnOneDeviceAndRescheduledOnAnotherShowsTheConflictAndDResolvesIt() {
        var (f, s) = Self.doneHereRescheduledThere()
        let followup = Self.conflicted
        XCTAssertTrue(view(s).text.contains("! was done on 2026-11-23, then rescheduled by ben"), view(s).text)
        XCTAssertEqual(s.caseload.followups[followup]?.status, .open)
        // The person decides it was done after all: d, as for any follow-up.
        let effects = send(&s, .key(.char("d")))
        carryOut(&s, effects, fixture: &f)
        XCTAssertEqual(s.caseload.followups[followup]?.status, .done)
        XCTAssertFalse(view(s).text.contains("rescheduled by ben"), view(s).text)
    }

    func testRescheduledAgainByAPersonWhoSawTheConflictItStaysOpenAndTheConflictIsSettled() {
        var (f, s) = Self.doneHereRescheduledThere()
        let followup = Self.conflicted
        XCTAssertTrue(view(s).text.contains("d: it was done · r: keep it open at a new date"), view(s).text)
        send(&s, .key(.char("7")))
        let effects = send(&s, .key(.ctrl("s")))
        XCTAssertFalse(effects.isEmpty, view(s).text)
        carryOut(&s, effects, fixture: &f)
        XCTAssertEqual(s.caseload.followups[followup]?.status, .open)
        XCTAssertNil(s.caseload.followups[followup]?.conflict)
        XCTAssertFalse(view(s).text.contains("rescheduled by ben"), view(s).text)
    }
}
