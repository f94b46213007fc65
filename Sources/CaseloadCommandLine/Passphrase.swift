import CaseloadCrypto
import CaseloadJournal
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a passphrase comes from: the file `CASELOAD_PASSPHRASE_FILE` names (scripts and
/// tests; a new one in `passphrase change` from `CASELOAD_NEW_PASSPHRASE_FILE`), else the
/// terminal with echo off. Never from an argument, which `ps` and shell history would show.
public enum Passphrase {
    public static let fileVariable = "CASELOAD_PASSPHRASE_FILE"
    public static let newFileVariable = "CASELOAD_NEW_PASSPHRASE_FILE"

    /// The passphrase of an existing caseload.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [UInt8] {
        if let path = environment[fileVariable], !path.isEmpty { return try fromFile(path, fileVariable) }
        return try fromTerminal(prompt: "Passphrase for this caseload: ")
    }

    /// A new passphrase: from its file, or typed twice at the terminal.
    public static func new(fileVariable variable: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [UInt8] {
        if let path = environment[variable], !path.isEmpty { return try fromFile(path, variable) }
        let first = try fromTerminal(prompt: "New passphrase (at least \(EncryptedCaseload.minimumPassphrase) characters): ")
        let again = try fromTerminal(prompt: "The same passphrase again: ")
        guard first == again else { throw CLIError("the two passphrases differ; nothing was changed") }
        return first
    }

    /// The file's bytes without one final line break (an editor adds it).
    public static func fromFile(_ path: String, _ variable: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError.io("the passphrase file \(path) (named by \(variable)) cannot be read; nothing was changed")
        }
        var bytes = Array(data)
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard !bytes.isEmpty else { throw CLIError("the passphrase file \(path) is empty; nothing was changed") }
        return bytes
    }

    /// Reads one line from /dev/tty with echo off, restoring the terminal however it ends.
    public static func fromTerminal(prompt: String) throws -> [UInt8] {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CLIError("this caseload is encrypted and there is no terminal to ask for its passphrase: set \(fileVariable) to a file holding it")
        }
        defer { close(fd) }
        var saved = termios()
        let isTerminal = tcgetattr(fd, &saved) == 0
        if isTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ICANON)
            _ = tcsetattr(fd, TCSAFLUSH, &quiet)
        }
        defer { if isTerminal { _ = tcsetattr(fd, TCSAFLUSH, &saved) } }
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1, byte != 0x0A, byte != 0x0D { line.append(byte) }
        _ = write(fd, "\n", 1)
        guard !line.isEmpty else { throw CLIError("no passphrase was typed; nothing was changed") }
        return line
    }

    /// The codec for the caseload in `dir`: plain, or unlocked with its passphrase.
    public static func codec(for dir: URL) throws -> EventCodec {
        guard EncryptedCaseload.isEncrypted(dir), DataDirectory.isInitialized(dir) else { return .plain }
        return try EncryptedCaseload.unlock(dir, passphrase: try current())
    }
}
