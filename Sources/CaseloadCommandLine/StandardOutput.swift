import CaseloadText
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Everything a command prints on standard output goes through here: text made terminal-safe,
/// JSON as it is, and a failed write (a full disk, a closed pipe's EIO) is one line on stderr
/// and exit status 1, never a crash and never a silent success.
public enum StandardOutput {
    nonisolated(unsafe) private static var buffer: [UInt8] = []
    nonisolated(unsafe) private static var flushRegistered = false

    /// A line of text for a person to read: control characters neutralised.
    public static func line(_ text: String) {
        bytes(Array((terminalSafe(text) + "\n").utf8))
    }

    /// Bytes exactly as given (JSON, the keys table).
    public static func bytes<C: Collection>(_ data: C) where C.Element == UInt8 {
        if !flushRegistered {
            flushRegistered = true
            atexit { StandardOutput.flush() }
        }
        buffer.append(contentsOf: data)
        if buffer.count >= 64 << 10 { flush() }
    }

    /// Writes what is buffered; on failure says so on stderr and ends the process with status 1.
    public static func flush() {
        var written = 0
        while written < buffer.count {
            let n = buffer.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + written, buffer.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let why = n < 0 ? String(cString: strerror(errno)) : "nothing written"
                FileHandle.standardError.write(Data("caseload: error: cannot write the output: \(why)\n".utf8))
                _exit(1)
            }
            written += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

public func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(value)
    data.append(0x0A)
    StandardOutput.bytes(data)
}

/// A line of text output: names, notes and reasons in it are printed terminal-safe.
public func say(_ line: String) { StandardOutput.line(line) }
