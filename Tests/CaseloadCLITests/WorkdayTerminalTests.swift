import Foundation
import XCTest

/// Amira's Tuesday (../shared/SCENARIOS.md) through the real binary at 80x24 in tmux, on her
/// own caseload: her counts, the inbox, a missed contact that keeps the case open and flags a
/// third miss for review, an attended call that closes the due follow-up, a corrected phone
/// number and its history, a goal and a SWEMWBS, a connection picked by typing, a follow-up
/// booked, and the header's counts changing with each.
final class WorkdayTerminalTests: TmuxTestCase {
    func add(_ args: [String]) -> String {
        (jsonObject(["patient", "add", "--source", "gp", "--referrer", "Dr Patel", "--reason", "loneliness", "--as-of", asOf] + args)["id"] as? String) ?? ""
    }

    /// Her caseload on Monday 23 November 2026, made through the command line.
    func amirasCaseload() {
        initialise()
        let begum = add(["--name", "Rahima Begum", "--referral-date", "2026-10-01", "--consent", "--share-with-gp", "--followup", "2026-11-20"])
        for day in ["2026-11-10", "2026-11-17"] { ok(["session", "add", begum, "--outcome", "no-answer", "--date", day, "--as-of", asOf]) }
        let chen = add(["--name", "Wei Chen", "--referral-date", "2026-10-15", "--consent", "--share-with-gp", "--followup", "2026-11-23"])
        ok(["session", "add", chen, "--date", "2026-10-20", "--keep-followup", "--note", "First call", "--as-of", asOf])
        _ = add(["--name", "Siobhán Ní Bhriain", "--referral-date", "2026-11-20", "--consent", "--share-with-gp"])
        _ = add(["--name", "Tadeusz Wiśniewski", "--referral-date", "2026-11-11", "--nhs-number", "943 476 5919"])
        ok(["service", "add", "--name", "Thursday walking group", "--times", "Thursdays 10:00", "--address", "the park gates"])
    }

    func header(_ screen: String) -> String { screen.split(separator: "\n").first.map(String.init) ?? "" }

    func testAmirasDayAt80x24() throws {
        amirasCaseload()
        tmux.start("exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color TZ=Europe/London EDITOR=true \(CLI.binary.path) --data-dir \(data.path) --as-of \(asOf)")
        // 1. Before anything else: her overdue, due today and new referrals.
        var screen = tmux.waitFor("overdue", timeout: 60)
        XCTAssertTrue(header(screen).hasSuffix("yours: 4 · 1 overdue · 1 due today · 3 new"), screen)

        // The inbox: the oldest referral first, with its deadline.
        tmux.keys("i")
        screen = tmux.waitFor("Inbox ·")
        XCTAssertTrue(screen.contains("Tadeusz Wiśniewski"), screen)
        XCTAssertTrue(screen.contains("12 days old · 2 days left"), screen)
        tmux.keys("Escape")

        // 3. Her overdue list: Mrs Begum did not attend, her third miss in a row.
        tmux.keys("f")
        screen = tmux.waitFor("Rahima Begum")
        tmux.keys("Enter")
        tmux.waitFor("Referred 2026-10-01")
        tmux.keys("n")
        tmux.waitFor("Outcome ‹attended›")
        tmux.keys("Tab", "Tab", "Tab", "Tab", "Right")
        tmux.waitFor("Outcome ‹did not attend›")
        tmux.keys("C-s")
        screen = tmux.waitFor("The case and its follow-ups stay open.")
        XCTAssertTrue(screen.contains("2026-11-25"), "the next try, two days on:\n\(screen)")
        tmux.keys("y")
        screen = tmux.waitFor("Saved: did not attend")
        XCTAssertTrue(screen.contains("! review: 3 missed contacts in a row"), screen)
        // No longer overdue (moved to the next try) and flagged; still new, as she was not seen.
        XCTAssertTrue(header(screen).hasSuffix("yours: 4 · 0 overdue · 1 due today · 3 new · 1 review"), screen)

        // Mr Chen answers: an attended call closes his follow-up due today.
        tmux.keys("Escape", "Escape", "/")
        tmux.type("Chen")
        tmux.waitFor("Filter: Chen")
        tmux.keys("Enter", "Enter")
        tmux.waitFor("Referred 2026-10-15")
        tmux.keys("n")
        tmux.waitFor("Outcome ‹attended›")
        tmux.type("Rang about the housing form; he has sent it.")
        tmux.keys("C-s")
        tmux.waitFor("Mark the follow-up due 2026-11-23, First call done?")
        tmux.keys("y")
        screen = tmux.waitFor("Saved: phone session note, follow-up done")
        XCTAssertTrue(header(screen).hasSuffix("yours: 4 · 0 overdue · 0 due today · 3 new · 1 review"), screen)

        // He has a new phone: corrected, and the history says what it was.
        tmux.keys("E")
        tmux.waitFor("Details of Wei Chen")
        tmux.keys("Tab")
        tmux.type("07700 900123")
        tmux.keys("C-s")
        screen = tmux.waitFor("tel 07700 900123")
        XCTAssertTrue(screen.contains("Saved: phone\n") || screen.contains("Saved: phone "), screen)
        XCTAssertFalse(screen.contains("…"), "nothing on their header is cut:\n\(screen)")
        tmux.keys("H")
        screen = tmux.waitFor("History of Wei Chen's details and consent")
        XCTAssertTrue(screen.contains("Amira Haddad: phone 07700 900123 (was empty)"), screen)
        tmux.keys("Escape")

        // 4. Siobhán: a goal at 2/10, a SWEMWBS baseline, the walking group found by typing.
        tmux.keys("Escape", "/")
        tmux.type("Siob")
        tmux.waitFor("Filter: Siob")
        tmux.keys("Enter", "Enter")
        tmux.waitFor("Referred 2026-11-20")
        tmux.keys("Tab")
        tmux.waitFor("[Goals & outcomes]")
        tmux.keys("a")
        tmux.waitFor("New goal")
        tmux.type("get out of the house twice a week")
        tmux.keys("Tab")
        tmux.type("2")
        tmux.keys("C-s")
        screen = tmux.waitFor("Saved: goal added")
        XCTAssertTrue(screen.contains("get out of the house twice a week"), screen)
        tmux.keys("m")
        tmux.keys("Enter")
        tmux.waitFor("I've been feeling optimistic about the future")
        for a in ["3", "3", "2", "3", "2", "3", "2"] {
            tmux.type(a)
            tmux.keys("Enter")
        }
        tmux.waitFor("Score: metric 17.43 (raw 18)")
        tmux.keys("Enter")
        screen = tmux.waitUntil("the baseline on the goals pane") { !$0.contains("Score: metric") && $0.contains("SWEMWBS") }
        XCTAssertTrue(screen.contains("17.43"), screen)
        tmux.keys("L")
        tmux.waitFor("to a service")
        tmux.type("walk")
        screen = tmux.waitFor("Thursday walking group")
        XCTAssertTrue(screen.contains("Thursdays 10:00"), screen)
        tmux.keys("Enter")
        tmux.waitFor("Enter connects")
        tmux.keys("Enter")
        tmux.waitFor("Connect to a community service")
        tmux.keys("C-s")
        tmux.waitFor("Saved: connection added")

        // A follow-up booked a week on; she was seen, so she is no longer new.
        tmux.keys("b")
        tmux.waitFor("Book a follow-up")
        tmux.keys("Tab")
        tmux.type("walking group on Thursday")
        tmux.keys("C-s")
        screen = tmux.waitFor("Saved: follow-up booked for 2026-11-30")
        XCTAssertTrue(screen.split(separator: "\n").allSatisfy { $0.count <= 80 }, screen)
        tmux.keys("Escape")
        screen = tmux.waitFor("Next follow-up")
        XCTAssertTrue(header(screen).contains("yours: 4 · 0 overdue · 0 due today"), screen)
    }

    /// Her Tuesday goes on, on a second caseload: a referral declined from the inbox, a missed
    /// call whose follow-up she leaves overdue, Mr Adeyemi referred again through the referral
    /// form (a second episode, not a second person), a lone-working risk and a new phone for
    /// Siobhán, and Ben's record of Siobhán arriving by folder sync as a likely duplicate. Each
    /// step is checked on the screen, and the journal is read back through the CLI afterwards.
    func testAmirasDayGoesOnAt80x24() throws {
        let stick = root.appendingPathComponent("stick"), ben = root.appendingPathComponent("ben")
        try FileManager.default.createDirectory(at: stick, withIntermediateDirectories: true)
        initialise()
        let adeyemi = add(["--name", "Kwame Adeyemi", "--nhs-number", "401 023 2137", "--referral-date", "2026-03-01"])
        ok(["session", "add", adeyemi, "--date", "2026-03-03", "--note", "First call", "--as-of", asOf])
        ok(["patient", "discharge", adeyemi, "--reason", "goals met", "--followups", "cancel", "--as-of", asOf])
        let petrov = add(["--name", "Ivan Petrov", "--referral-date", "2026-11-11"])
        let jones = add(["--name", "Mary Jones", "--referral-date", "2026-10-01", "--followup", "2026-11-19"])
        ok(["session", "add", jones, "--date", "2026-10-05", "--keep-followup", "--note", "First call", "--as-of", asOf])
        let siobhan = add(["--name", "Siobhán Ní Bhriain", "--dob", "1990-07-14", "--referral-date", "2026-11-20"])
        ok(["sync", "folder", stick.path])
        XCTAssertEqual(CLI.run(["init", "--worker", "Ben Okafor", "--team", "North"], dataDir: ben).status, 0)

        tmux.start("exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color TZ=Europe/London EDITOR=true \(CLI.binary.path) --data-dir \(data.path) --as-of \(asOf)")
        var screen = tmux.waitFor("overdue", timeout: 60)
        XCTAssertTrue(header(screen).hasSuffix("yours: 3 · 1 overdue · 0 due today · 2 new"), screen)

        // The inbox: Ivan's referral, twelve days old, is declined (he moved away).
        tmux.keys("i")
        screen = tmux.waitFor("Inbox · 2 new referrals")
        XCTAssertTrue(screen.contains("Ivan Petrov                  12 days old · 2 days left"), screen)
        tmux.keys("x")
        tmux.waitFor("Decline the referral of Ivan Petrov")
        tmux.type("moved out of the area")
        tmux.keys("C-s")
        screen = tmux.waitFor("Inbox · 1 new referral")
        XCTAssertFalse(screen.contains("Ivan Petrov"), screen)
        XCTAssertTrue(header(screen).hasSuffix("yours: 2 · 1 overdue · 0 due today · 1 new"), screen)
        tmux.keys("Escape")

        // Mary Jones does not answer; she leaves the next try for later: still overdue.
        tmux.keys("/")
        tmux.type("Mary")
        tmux.waitFor("Filter: Mary")
        tmux.keys("Enter", "Enter")
        tmux.waitFor("Referred 2026-10-01")
        tmux.keys("n")
        tmux.waitFor("Outcome ‹attended›")
        tmux.keys("Tab", "Tab", "Tab", "Tab", "Right", "Right")
        tmux.waitFor("Outcome ‹no answer›")
        tmux.keys("C-s")
        tmux.waitFor("Move the due follow-up to the next try, 2026-11-25?")
        tmux.keys("n")
        screen = tmux.waitFor("Saved: no answer")
        XCTAssertTrue(header(screen).hasSuffix("yours: 2 · 1 overdue · 0 due today · 1 new"), "the follow-up stays overdue:\n\(screen)")
        XCTAssertTrue(screen.contains("Missed · phone · no answer"), screen)

        // Mr Adeyemi, discharged in the spring, referred again: the form offers a new episode.
        tmux.keys("Escape", "Escape", "a")
        tmux.waitFor("New referral")
        tmux.type("Kwame Adeyemi")
        tmux.keys("Tab", "Tab")
        tmux.type("4010232137")
        tmux.keys("Tab", "Tab", "Tab", "Tab")
        tmux.type("Dr Patel")
        tmux.keys("Tab")
        tmux.type("money")
        tmux.keys("C-s")
        screen = tmux.waitFor("Open a new episode for Kwame Adeyemi?")
        XCTAssertTrue(screen.contains("The same NHS number, 401 023 2137"), screen)
        XCTAssertTrue(screen.contains("discharged since 2026-11-23 · 1 episode"), screen)
        tmux.keys("y")
        screen = tmux.waitFor("Saved: referred again, episode 2 for Kwame Adeyemi")
        XCTAssertTrue(screen.contains("Episode 2: referred 2026-11-23 by GP (Dr Patel): money/debt"), screen)
        XCTAssertTrue(screen.contains("2026-11-23  Referred again: episode 2, by GP (Dr Patel)"), screen)
        XCTAssertTrue(screen.contains("2026-03-03  Session · face to face"), "the first episode's contact is still on his record:\n\(screen)")
        XCTAssertTrue(header(screen).hasSuffix("yours: 3 · 1 overdue · 0 due today · 2 new"), "his new referral waits in the inbox:\n\(screen)")

        // Siobhán: her landlord's dog is a lone-working risk, shown on her screen.
        tmux.keys("Escape", "/")
        tmux.type("Siob")
        tmux.waitFor("Filter: Siob")
        tmux.keys("Enter", "Enter")
        tmux.waitFor("Referred 2026-11-20")
        tmux.keys("!")
        tmux.waitFor("Risks: Siobhán Ní Bhriain")
        tmux.keys("Tab")
        tmux.type("landlord's dog loose in the hall")
        tmux.keys("C-s")
        screen = tmux.waitFor("! risk: lone working")
        // A new phone number, corrected in her details.
        tmux.keys("E")
        tmux.waitFor("Details of Siobhán Ní Bhriain")
        tmux.keys("Tab")
        tmux.type("07700 900456")
        tmux.keys("C-s")
        screen = tmux.waitFor("tel 07700 900456")
        XCTAssertTrue(screen.contains("! risk: lone working"), "the banner stays:\n\(screen)")

        // Ben added Siobhán on his laptop offline; the sync brings his record in.
        let benSays = CLI.run(["patient", "add", "--name", "Siobhan Ni Bhriain", "--dob", "1990-07-14", "--referral-date", "2026-11-21",
                               "--source", "selfReferral", "--as-of", asOf], dataDir: ben)
        XCTAssertEqual(benSays.status, 0, benSays.stderr)
        XCTAssertEqual(CLI.run(["sync", "folder", stick.path], dataDir: ben).status, 0)
        tmux.keys("Y")
        screen = tmux.waitFor("Synced; 1 likely duplicate (see their screen)")
        XCTAssertTrue(screen.contains("! may be a duplicate of Siobhan Ni Bhriain"), screen)
        XCTAssertTrue(screen.contains("! risk: lone working"), screen)
        XCTAssertTrue(screen.split(separator: "\n").allSatisfy { $0.count <= 80 }, screen)
        tmux.keys("q")
        tmux.waitUntil("the app to quit") { !$0.contains("Caseload") }

        // The journal holds the day, as the command line reads it.
        XCTAssertEqual(jsonObject(["patient", "show", petrov, "--as-of", asOf])["status"] as? String, "declined")
        XCTAssertEqual(jsonArray(["overdue", "--as-of", asOf]).map { $0["patientId"] as? String }, [jones], "the missed call's follow-up is still overdue")
        let mary = jsonObject(["patient", "show", jones, "--as-of", asOf])
        XCTAssertEqual((mary["sessions"] as? [[String: Any]])?.compactMap { $0["outcome"] as? String }.sorted(), ["attended", "noAnswer"])
        let kwame = jsonObject(["patient", "show", adeyemi, "--as-of", asOf])
        XCTAssertEqual((kwame["episodes"] as? [[String: Any]])?.map { $0["status"] as? String }, ["discharged", "referred"])
        XCTAssertEqual(jsonArray(["patient", "list"]).filter { ($0["name"] as? String) == "Kwame Adeyemi" }.count, 1, "one record of him")
        XCTAssertEqual(jsonArray(["inbox", "--as-of", asOf]).compactMap { $0["patientId"] as? String }.sorted(), [adeyemi, siobhan].sorted())
        let her = jsonObject(["patient", "show", siobhan, "--as-of", asOf])
        XCTAssertEqual(her["phone"] as? String, "07700 900456")
        XCTAssertEqual((her["risks"] as? [[String: Any]])?.map { $0["kind"] as? String }, ["loneWorking"])
        XCTAssertEqual(jsonArray(["patient", "duplicates"]).count, 1)
    }
}
