import Foundation
import XCTest
import CaseloadCrypto
import CaseloadJournal

/// A new device given the team key through the binary: neither the request, the grant nor the
/// sync folder holds a usable key; a swapped request or grant is caught by its fingerprint; and
/// after a rotation a leaver's device reads nothing written since.
final class TeamKeyCLITests: ErasureCLITestCase {
    var stick: URL { root.appendingPathComponent("stick") }
    var cara: URL { root.appendingPathComponent("cara") }

    func keyring(_ dir: URL) throws -> Keyring {
        try KeyFile.read(in: dir).unlock(passphrase: Array("correct horse battery".utf8), sodium: try Sodium.load())
    }

    func testANewDeviceGetsTheTeamKeyAndNoUsableKeyTravelsInClear() throws {
        ok(["init", "--encrypt", "--worker", "Amira Haddad", "--team", "North"], amira)
        ok(["init", "--encrypt", "--worker", "Ben Okafor", "--team", "North"], ben)
        let (z, _) = addPeople()
        try FileManager.default.createDirectory(at: stick, withIntermediateDirectories: true)
        ok(["sync", "folder", stick.path], amira)

        let (request, grant) = enrol(ben, grantedBy: amira)
        ok(["sync", "folder", stick.path], ben)
        XCTAssertTrue(ok(["patient", "show", z], ben).stdout.contains("Zebedee Quartermain"), "Ben reads Amira's records")
        // And Amira reads what Ben writes.
        let o = (ok(["patient", "add", "--name", "Pip Ashworth", "--json"], ben).json as! [String: Any])["id"] as! String
        ok(["sync", "folder", stick.path], ben)
        ok(["sync", "folder", stick.path], amira)
        XCTAssertTrue(ok(["patient", "show", o], amira).stdout.contains("Pip Ashworth"))

        // The team key's bytes, in any encoding a file could hold them, are in no request, grant
        // or file of the sync folder.
        let team = try keyring(amira)
        let key = Data(team.currentKey)
        let forms = [key, Data(key.base64EncodedString().utf8), Data(key.map { String(format: "%02x", $0) }.joined().utf8)]
        for (name, bytes) in allBytes(stick) + [("request", try Data(contentsOf: request)), ("grant", try Data(contentsOf: grant))] {
            for form in forms { XCTAssertNil(bytes.range(of: form), "\(name) holds the team key") }
        }
        XCTAssertEqual(try keyring(ben).current, team.current, "Ben's new records are sealed under the team key")
    }

    func testASwappedRequestOrGrantIsCaughtByItsFingerprintAndChangesNothing() throws {
        ok(["init", "--encrypt", "--worker", "Amira Haddad", "--team", "North"], amira)
        ok(["init", "--encrypt", "--worker", "Ben Okafor", "--team", "North"], ben)
        ok(["init", "--encrypt", "--worker", "Mallory Admin", "--team", "North"], cara)
        let request = root.appendingPathComponent("request"), grant = root.appendingPathComponent("grant")
        let bens = fingerprint(in: ok(["team-key", "request", "--out", request.path], ben).stdout)
        // Someone swaps in their own device's request: Ben's fingerprint, read out, does not match it.
        let forged = root.appendingPathComponent("forged")
        ok(["team-key", "request", "--out", forged.path], cara)
        let refused = CLI.run(["team-key", "grant", forged.path, "--fingerprint", bens], dataDir: amira, environment: env)
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("does not match"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains(fingerprint(in: ok(["team-key", "request"], cara).stdout)), "the expected fingerprint is not shown to copy")

        let teamFP = fingerprint(in: ok(["team-key", "grant", request.path, "--fingerprint", bens, "--out", grant.path], amira).stdout)
        // A grant made with someone else's key: the team fingerprint read out by Amira does not match.
        let other = root.appendingPathComponent("other-grant")
        ok(["team-key", "grant", request.path, "--fingerprint", bens, "--out", other.path], cara)
        let keysBefore = try Data(contentsOf: ben.appendingPathComponent(KeyFile.name))
        let wrong = CLI.run(["team-key", "accept", other.path, "--fingerprint", teamFP], dataDir: ben, environment: env)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("fingerprint does not match"), wrong.stderr)
        // A grant for another device, and a changed one, do not open.
        let forCara = root.appendingPathComponent("for-cara")
        let caraFP = fingerprint(in: ok(["team-key", "request", "--out", forged.path], cara).stdout)
        ok(["team-key", "grant", forged.path, "--fingerprint", caraFP, "--out", forCara.path], amira)
        XCTAssertTrue(CLI.run(["team-key", "accept", forCara.path, "--fingerprint", teamFP], dataDir: ben, environment: env).stderr.contains("does not open on this device"))
        var text = try String(contentsOf: grant, encoding: .utf8)
        let i = text.index(text.endIndex, offsetBy: -10)
        text.replaceSubrange(i...i, with: text[i] == "A" ? "B" : "A")
        try text.write(to: other, atomically: true, encoding: .utf8)
        XCTAssertNotEqual(CLI.run(["team-key", "accept", other.path, "--fingerprint", teamFP], dataDir: ben, environment: env).status, 0)
        XCTAssertEqual(try Data(contentsOf: ben.appendingPathComponent(KeyFile.name)), keysBefore, "nothing was changed")
        ok(["team-key", "accept", grant.path, "--fingerprint", teamFP], ben)
    }

    func testAfterARotationALeaversDeviceReadsNothingWrittenSince() throws {
        ok(["init", "--encrypt", "--worker", "Amira Haddad", "--team", "North"], amira)
        ok(["init", "--encrypt", "--worker", "Ben Okafor", "--team", "North"], ben)
        ok(["init", "--encrypt", "--worker", "Cara Leaver", "--team", "North"], cara)
        let (benRequest, _) = enrol(ben, grantedBy: amira)
        enrol(cara, grantedBy: amira)
        let before = (ok(["patient", "add", "--name", "Olive Thistlewood", "--json"], amira).json as! [String: Any])["id"] as! String
        try FileManager.default.createDirectory(at: stick, withIntermediateDirectories: true)
        ok(["sync", "folder", stick.path], amira)
        ok(["sync", "folder", stick.path], cara)
        XCTAssertTrue(ok(["patient", "list"], cara).stdout.contains("Olive Thistlewood"))

        // Cara leaves: Amira rotates and grants the new key to Ben's device only.
        ok(["team-key", "rotate"], amira)
        let grant = root.appendingPathComponent("grant-after")
        let benFP = fingerprint(in: ok(["team-key", "request"], ben).stdout)
        let teamFP = fingerprint(in: ok(["team-key", "grant", benRequest.path, "--fingerprint", benFP, "--out", grant.path], amira).stdout)
        ok(["team-key", "accept", grant.path, "--fingerprint", teamFP], ben)
        let after = (ok(["patient", "add", "--name", "Zebedee Quartermain", "--json"], amira).json as! [String: Any])["id"] as! String
        ok(["sync", "folder", stick.path], amira)
        ok(["sync", "folder", stick.path], ben)
        let r = CLI.run(["sync", "folder", stick.path], dataDir: cara, environment: env)
        XCTAssertTrue(r.stderr.contains("a key this device does not hold"), r.stderr)

        XCTAssertTrue(ok(["patient", "list"], ben).stdout.contains("Zebedee Quartermain"), "the team reads what was written after")
        XCTAssertTrue(ok(["patient", "list"], ben).stdout.contains("Olive Thistlewood"), "and before")
        XCTAssertFalse(ok(["patient", "list"], cara).stdout.contains("Zebedee"), "the leaver does not")
        _ = (before, after)
    }
}
