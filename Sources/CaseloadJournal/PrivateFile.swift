import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file only its owner can read, from its first byte: opened with mode 0600 (an existing
/// file is set to 0600 before anything is written into it), written whole and flushed. For
/// what leaves the caseload as a file: the message to the GP from the CLI and the app.
public enum PrivateFile {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw Failure(description: "cannot make \(path) private: \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { b -> Bool in
            guard let base = b.baseAddress else { return true }
            var done = 0
            while done < b.count {
                let n = Glibc.write(fd, base + done, b.count - done)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        guard written, fsync(fd) == 0 else { throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}
