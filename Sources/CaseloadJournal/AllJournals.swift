import CaseloadCore
import Foundation

extension CaseloadStore {
    /// Every event of every device's journal in the data folder (this device's and those synced
    /// in), each once, read through the store's codec: what a person's whole history is read
    /// from (a subject access export, the history of their details).
    public func eventsOfAllJournals() throws -> [Event] {
        var all: [Event] = []
        var seen = Set<UUID>()
        let dir = DataDirectory.journalDirectory(dataDirectory)
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() where name.hasSuffix(".journal") {
            let scan = try JournalFile.read(path: dir.appendingPathComponent(name).path)
            for record in scan.records {
                if let e = try? codec.event(from: record.payload), seen.insert(e.id).inserted { all.append(e) }
            }
        }
        return all
    }
}
