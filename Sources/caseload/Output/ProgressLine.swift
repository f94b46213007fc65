import CaseloadCommandLine
import CaseloadSync
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Progress of a long command on stderr (sync, demo, import): one line redrawn in place on a
/// terminal. Off a terminal a sync logs a line every 50,000 events, so a log shows it is
/// moving; the others say nothing, so a script's stderr holds only warnings and errors.
final class ProgressLine {
    let isTerminal = isatty(2) == 1
    let logsWhenPiped: Bool
    var shown = false
    var lastLogged = 0
    init(logsWhenPiped: Bool = true) { self.logsWhenPiped = logsWhenPiped }

    func show(_ p: SyncProgress) {
        show(p.phase.rawValue, done: p.done, of: p.total, "events")
    }

    /// "writing 40000/167458 events".
    func show(_ doing: String, done: Int, of total: Int, _ unit: String) {
        let line = "\(doing) \(done)/\(total) \(unit)"
        if isTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
            shown = true
        } else if logsWhenPiped, done - lastLogged >= 50_000 || (done == total && lastLogged > 0) {
            FileHandle.standardError.write(Data("\(line)\n".utf8))
            lastLogged = done == total ? 0 : done
        }
    }

    /// Clears the line, so what the command prints next starts at the left.
    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }
}
