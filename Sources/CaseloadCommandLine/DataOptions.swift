import ArgumentParser
import CaseloadJournal
import Foundation

/// Options every command that touches data takes.
public struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The caseload's folder (default: $CASELOAD_DATA_DIR, else $XDG_DATA_HOME/caseload, else ~/.local/share/caseload).")
    public var dataDir: String?

    public init() {}

    public var directory: URL { DataDirectory.resolve(explicit: dataDir) }

    /// Opens the store, telling the user on stderr what opening had to repair.
    public func open(_ mode: CaseloadStore.Mode = .readWrite) throws -> CaseloadStore {
        let store = try CaseloadStore.open(dataDirectory: directory, mode: mode, codec: try Passphrase.codec(for: directory))
        for w in store.warnings { FileHandle.standardError.write(Data("caseload: warning: \(w)\n".utf8)) }
        StoresKeptUntilExit.stores.append(store)
        return store
    }
}

/// A command's store stays referenced until the process exits: freeing a large caseload's
/// state object by object took longer than the query itself (15% of `overdue` on 10,000
/// people), and the operating system takes the memory back at exit all at once. Commands
/// still `close()` their store, which is what releases the journal and its lock.
enum StoresKeptUntilExit {
    nonisolated(unsafe) static var stores: [CaseloadStore] = []
}
