import XCTest
@testable import CaseloadCore

/// The generated Swift is committed: these keep it in step with Schema/caseload.schema, and
/// the snapshot version in step with the schema's snapshot part.
final class SchemaGeneratorTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schema = root.appendingPathComponent("Sources/CaseloadCore/Schema/caseload.schema")
    static let generated = root.appendingPathComponent("Sources/CaseloadCore/Generated")

    func temporaryFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// Runs scripts/gen-schema with `arguments`; its standard output.
    func generate(_ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Self.root.appendingPathComponent("scripts/gen-schema").path] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let text = out.fileHandleForReading.readDataToEndOfFile()
        let problem = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, String(decoding: problem, as: UTF8.self))
        return String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func fingerprint(of schemaText: String) throws -> String {
        let file = try temporaryFolder().appendingPathComponent("caseload.schema")
        try schemaText.write(to: file, atomically: true, encoding: .utf8)
        return try generate(["--schema", file.path, "--fingerprint"])
    }

    func testRegeneratingChangesNothing() throws {
        let out = try temporaryFolder()
        _ = try generate(["--out", out.path])
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.generated.path).sorted()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), names)
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let committed = try String(contentsOf: Self.generated.appendingPathComponent(name), encoding: .utf8)
            let fresh = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            XCTAssertTrue(committed == fresh, "\(name) differs from what scripts/gen-schema writes: run scripts/gen-schema and commit")
        }
    }

    func testTheFingerprintFollowsTheSnapshotPartOnly() throws {
        let text = try String(contentsOf: Self.schema, encoding: .utf8)
        let today = try fingerprint(of: text)
        XCTAssertEqual(today, StateSnapshot.schemaFingerprint, "the committed snapshot fingerprint is stale: run scripts/gen-schema")

        // A field more on a snapshot entity: a new version.
        let goal = "  progress: [ProgressPoint]\n"
        XCTAssertTrue(text.contains(goal))
        XCTAssertNotEqual(try fingerprint(of: text.replacingOccurrences(of: goal, with: goal + "  reviewOn: Day?\n")), today)
        // A nested struct the snapshot writes (the referral) changes it too.
        let referral = "  reasons: [ReferralReason]\n"
        XCTAssertNotEqual(try fingerprint(of: text.replacingOccurrences(of: referral, with: referral + "  urgent: Bool?\n")), today)
        // Fields reordered: another layout.
        XCTAssertNotEqual(try fingerprint(of: text.replacingOccurrences(of: "  given: Bool\n  date: Day\n", with: "  date: Day\n  given: Bool\n")), today)

        // An event-only field and a comment leave snapshots as they are.
        let draftDiscarded = "event draft.discarded draftDiscarded DraftDiscarded\n  draftId: UUID\n"
        XCTAssertTrue(text.contains(draftDiscarded))
        XCTAssertEqual(try fingerprint(of: text.replacingOccurrences(of: draftDiscarded, with: draftDiscarded + "  reason: String? = nil\n")), today)
        XCTAssertEqual(try fingerprint(of: text + "\n# a comment\n"), today)
    }

    func testEveryDeclaredTypeHasAFastDecoder() {
        XCTAssertEqual(EventBody.knownTypes.count, 32)
        XCTAssertEqual(Set(EventBody.knownTypes).count, EventBody.knownTypes.count)
        for type in EventBody.knownTypes { XCTAssertNotNil(FastEventDecoder.bodyDecoder(for: type), type) }
        XCTAssertNil(FastEventDecoder.bodyDecoder(for: "goal.set.v2"))
    }

    /// A snapshot written under another schema is refused, so the store folds the journal instead.
    func testASnapshotWithAnotherFingerprintIsRefused() throws {
        var state = CaseloadState()
        state.eventCount = 3
        var bytes = StateSnapshot.encode(state)
        XCTAssertEqual(try bytes.withUnsafeBytes { try StateSnapshot.decode($0) }, state)
        let header = Array("schema \(StateSnapshot.schemaFingerprint)".utf8)
        let at = try XCTUnwrap((0...(bytes.count - header.count)).first { Array(bytes[$0..<$0 + header.count]) == header })
        bytes[at + header.count - 1] = bytes[at + header.count - 1] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        XCTAssertThrowsError(try bytes.withUnsafeBytes { try StateSnapshot.decode($0) }) { error in
            XCTAssertEqual(error as? StateSnapshot.ReadError, .schemaMismatch)
        }
    }
}
