import XCTest
@testable import CaseloadJournal
import CaseloadCore

/// The note handed to $EDITOR: private, in the data folder, and brought back after a crash.
final class EditorNoteFileTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ed-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testANoteLeftOpenInTheEditorByAKilledAppComesBackAsItsDraftAndTheFileGoes() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        let pid = UUID(), draftId = UUID()
        try store.append([.patientReferred(PatientReferred(patientId: pid, name: "Mrs Begum", referral: Referral(date: Day("2026-11-01")!, source: .gp, reasons: []))),
                          .draftSaved(DraftSaved(draftId: draftId, patientId: pid, date: Day("2026-11-23")!, kind: .phone, minutes: 20, text: "Before vi"))])
        // The app writes the file and is killed while the editor has it: the file stays.
        let path = try EditorNoteFile.create("Before vi", dataDirectory: dir, draftId: draftId)
        XCTAssertTrue(path.hasPrefix(dir.path + "/editing/"), "in the private data folder, not $TMPDIR: \(path)")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, 0o600)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: EditorNoteFile.directory(dir).path)[.posixPermissions] as? Int, 0o700)
        try Data("Typed in vi before the battery died".utf8).write(to: URL(fileURLWithPath: path))
        let stale = try EditorNoteFile.create("an old one", dataDirectory: dir, draftId: UUID())
        store.close()

        let reopened = try CaseloadStore.open(dataDirectory: dir)
        let messages = EditorNoteFile.recover(into: reopened)
        XCTAssertEqual(messages, ["A note left open in $EDITOR is back as a draft: press D"])
        XCTAssertEqual(reopened.state.drafts[draftId]?.text, "Typed in vi before the battery died")
        XCTAssertEqual(reopened.state.drafts[draftId]?.minutes, 20, "the draft keeps its other fields")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale), "a file whose draft is gone is removed")
        XCTAssertEqual(EditorNoteFile.recover(into: reopened), [], "nothing the second time")
    }
}
