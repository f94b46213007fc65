import XCTest

/// `patient update` and `patient consent` go through the rule the app's details form uses:
/// the same NHS number check, the same date-of-birth range, and every change in the history.
final class PersonDetailsCommandTests: CLITestCase {
    func add(_ args: [String]) -> String {
        (jsonObject(["patient", "add", "--as-of", asOf] + args)["id"] as? String) ?? ""
    }

    func testCorrectionsAndConsentShowInTheHistoryWithWhatTheyWere() {
        initialise()
        let id = add(["--name", "Joan Pryce", "--phone", "01632 960001", "--consent"])
        XCTAssertEqual(ok(["patient", "update", id, "--phone", "07700 900123", "--gp-practice", "Riverside Surgery", "--as-of", asOf]).stdout,
                       "Updated \(id.prefix(8)): phone, GP practice\n")
        ok(["patient", "consent", id, "socialPrescribing", "--withdrawn", "--as-of", asOf])
        let history = ok(["patient", "history", id]).stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(history.count, 4, history.joined(separator: "\n"))
        XCTAssertTrue(history[0].hasSuffix("Amira Haddad: referred with name Joan Pryce, phone 01632 960001"), history[0])
        XCTAssertTrue(history[1].hasSuffix("consent to social prescribing given on \(asOf)"), history[1])
        XCTAssertTrue(history[2].hasSuffix("phone 01632 960001 → 07700 900123; GP practice Riverside Surgery (was empty)"), history[2])
        XCTAssertTrue(history[3].hasSuffix("consent to social prescribing withdrawn on \(asOf) (was given \(asOf))"), history[3])
        let shown = ok(["patient", "show", id]).stdout
        XCTAssertTrue(shown.contains("social prescribing: no (\(asOf))"), shown)
    }

    func testTheSameChecksAsTheApp() {
        initialise()
        let joan = add(["--name", "Joan Pryce", "--nhs-number", "943 476 5919"])
        let ann = add(["--name", "Ann Lee"])
        refuses(["patient", "update", ann, "--nhs-number", "943 476 5918"], mentioning: "invalid NHS number")
        refuses(["patient", "update", ann, "--nhs-number", "9434765919"], mentioning: "already Joan Pryce's")
        refuses(["patient", "update", ann, "--dob", "2027-01-01", "--as-of", asOf], mentioning: "after today")
        refuses(["patient", "update", ann, "--dob", "1850-01-01", "--as-of", asOf], mentioning: "over 125")
        refuses(["patient", "add", "--name", "Tom Lee", "--dob", "1850-01-01", "--as-of", asOf], mentioning: "over 125")
        refuses(["patient", "update", joan, "--nhs-number", "943 476 5919"], mentioning: "nothing to change")
        refuses(["patient", "update", joan, "--name", " "], mentioning: "name is empty")
        // Its own number again with a correct date of birth: only the date changes.
        XCTAssertEqual(ok(["patient", "update", joan, "--nhs-number", "9434765919", "--dob", "1948-03-02", "--as-of", asOf]).stdout,
                       "Updated \(joan.prefix(8)): date of birth\n")
    }
}

/// `patient add` goes through the rule the app's referral form uses.
final class ReferralCommandTests: CLITestCase {
    func testTheReferralFormsChecksOnTheCommandLine() {
        initialise()
        refuses(["patient", "add", "--name", "Joan Pryce", "--referral-date", "2026-11-24", "--as-of", asOf], mentioning: "after today")
        refuses(["patient", "add", "--name", "Joan Pryce", "--dob", "2026-12-01", "--as-of", asOf], mentioning: "after today")
        let id = jsonObject(["patient", "add", "--name", "Joan Pryce", "--nhs-number", "943 476 5919", "--address", "4 Mill Lane",
                             "--gp-practice", "Riverside Surgery", "--referrer", "Dr Adeyemi", "--referral-date", "2026-11-20",
                             "--referral-note", "Lonely", "--consent", "--share-with-gp", "--as-of", asOf])["id"] as? String ?? ""
        refuses(["patient", "add", "--name", "Joan P", "--nhs-number", "9434765919", "--as-of", asOf], mentioning: "already on the caseload")
        let shown = ok(["patient", "show", id, "--as-of", asOf]).stdout
        XCTAssertTrue(shown.contains("Referred 2026-11-20 by other (Dr Adeyemi)"), shown)
        XCTAssertTrue(shown.contains("social prescribing: yes (\(asOf)); share with GP: yes (\(asOf))"), shown)
        XCTAssertTrue(shown.contains("address 4 Mill Lane"), shown)
    }
}

/// `caseload gp-summary` says on stderr what the practice needs and is not recorded.
final class GPSummaryMissingDetailsTests: CLITestCase {
    func testTheLetterSaysWhatIsMissingAndHowToAddIt() {
        initialise()
        let id = jsonObject(["patient", "add", "--name", "Joan Pryce", "--share-with-gp", "--as-of", asOf])["id"] as? String ?? ""
        var r = ok(["gp-summary", id, "--as-of", asOf])
        XCTAssertEqual(r.stderr, "caseload: note: No NHS number or GP practice recorded: the practice needs them to match this message to their record (add with caseload patient update \(id.prefix(8)) --nhs-number … --gp-practice …)\n")
        XCTAssertTrue(r.stdout.contains("NHS number: not recorded"), r.stdout)
        XCTAssertTrue(r.stdout.contains("GP practice: not recorded"), r.stdout)
        ok(["patient", "update", id, "--nhs-number", "943 476 5919", "--as-of", asOf])
        r = ok(["gp-summary", id, "--as-of", asOf])
        XCTAssertTrue(r.stderr.contains("No GP practice recorded: the practice needs it"), r.stderr)
        ok(["patient", "update", id, "--gp-practice", "Riverside Surgery", "--as-of", asOf])
        XCTAssertEqual(ok(["gp-summary", id, "--as-of", asOf]).stderr, "")
    }
}

/// `patient list --status` offers today's statuses; older journals' "did not attend" people
/// are found as flagged for review.
final class PatientListStatusTests: CLITestCase {
    func testDidNotAttendIsNotOfferedAndReviewFindsThem() {
        initialise()
        let help = ok(["patient", "list", "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(help.contains("(values: referred, contacted, active, discharged, declined, unableToContact)"), help)
        XCTAssertFalse(help.contains("didNotAttend"), help)
        refuses(["patient", "list", "--status", "didNotAttend"], mentioning: "patient list --review")
        refuses(["patient", "list", "--status", "dna"], mentioning: "flagged for review")
        let id = jsonObject(["patient", "add", "--name", "Joan Pryce", "--as-of", asOf])["id"] as? String ?? ""
        _ = jsonObject(["patient", "add", "--name", "Ann Lee", "--as-of", asOf])
        for day in ["2026-11-20", "2026-11-21", "2026-11-22"] { ok(["session", "add", id, "--outcome", "no-answer", "--date", day, "--as-of", asOf]) }
        let listed = ok(["patient", "list", "--review", "--as-of", asOf]).stdout
        XCTAssertTrue(listed.contains("Joan Pryce") && !listed.contains("Ann Lee"), listed)
        XCTAssertTrue(listed.hasSuffix("1 person\n"), listed)
    }
}
