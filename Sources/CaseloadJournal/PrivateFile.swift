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
        let file = try Writer(path)
        try bytes.withUnsafeBytes { try file.append($0) }
        try file.commit()
    }

    /// A private file written a piece at a time (an export of tens of thousands of people,
    /// never whole in memory) under the same rules as `save`: its temporary file is 0600 from
    /// the first byte, and only `commit` (sync, then rename) makes it the named file. One that
    /// is never committed is removed.
    public final class Writer {
        public let path: String
        let temp: String
        private var fd: Int32
        private var committed = false

        public init(_ path: String) throws {
            self.path = path
            let dir = (path as NSString).deletingLastPathComponent
            let name = (path as NSString).lastPathComponent
            temp = (dir.isEmpty ? "" : dir + "/") + ".\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw JournalError.io(path: temp, operation: "creating", errno: errno) }
            // The umask can only take bits away; this makes sure of exactly 0600.
            _ = fchmod(fd, 0o600)
        }

        deinit {
            if fd >= 0 { closeDescriptor(fd) }
            if !committed { unlink(temp) }
        }

        public func append(_ p: UnsafeRawBufferPointer) throws {
            var done = 0
            while done < p.count {
                let n = write(fd, p.baseAddress! + done, p.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw JournalError.io(path: temp, operation: "writing", errno: errno) }
                done += n
            }
        }

        /// Syncs the bytes written and renames the file over `path`: a reader sees the old
        /// file or the whole new one.
        public func commit() throws {
            guard fsync(fd) == 0 else { throw JournalError.io(path: temp, operation: "syncing", errno: errno) }
            closeDescriptor(fd)
            fd = -1
            guard rename(temp, path) == 0 else { throw JournalError.io(path: path, operation: "replacing", errno: errno) }
            committed = true
        }
    }
}
