import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files Caseload writes outside the journal (exports, subject-access records, reports,
/// rejected rows, the note handed to `$EDITOR`) hold health data: each is private (0600) from
/// its first byte, whatever the umask. Written to a new temporary file beside it (created
/// 0600, exclusively, so never through a link), synced, then renamed over the name: a reader
/// sees the old file or the whole new one.
public enum PrivateFile {
    public static func save(_ bytes: Data, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temp = (dir.isEmpty ? "" : dir + "/") + ".\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JournalError.io(path: temp, operation: "creating", errno: errno) }
        var ok = false
        defer {
            closeDescriptor(fd)
            if !ok { unlink(temp) }
        }
        // The umask can only take bits away; this makes sure of exactly 0600.
        _ = fchmod(fd, 0o600)
        try bytes.withUnsafeBytes { (p: UnsafeRawBufferPointer) in
            var done = 0
            while done < p.count {
                let n = write(fd, p.baseAddress! + done, p.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw JournalError.io(path: temp, operation: "writing", errno: errno) }
                done += n
            }
        }
        guard fsync(fd) == 0 else { throw JournalError.io(path: temp, operation: "syncing", errno: errno) }
        guard rename(temp, path) == 0 else { throw JournalError.io(path: path, operation: "replacing", errno: errno) }
        ok = true
    }
}
