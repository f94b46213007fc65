import ArgumentParser
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
enum Passphrase {
    static let fileVariable = "CASELOAD_PASSPHRASE_FILE"
    static let newFileVariable = "CASELOAD_NEW_PASSPHRASE_FILE"

    /// The passphrase of an existing caseload.
    static func current(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [UInt8] {
        if let path = environment[fileVariable], !path.isEmpty { return try fromFile(path, fileVariable) }
        return try fromTerminal(prompt: "Passphrase for this caseload: ")
    }

    /// A new passphrase: from its file, or typed twice at the terminal.
    static func new(fileVariable variable: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [UInt8] {
        if let path = environment[variable], !path.isEmpty { return try fromFile(path, variable) }
        let first = try fromTerminal(prompt: "New passphrase (at least \(EncryptedCaseload.minimumPassphrase) characters): ")
        let again = try fromTerminal(prompt: "The same passphrase again: ")
        guard first == again else { throw CLIError("the two passphrases differ; nothing was changed") }
        return first
    }

    /// The file's bytes without one final line break (an editor adds it).
    static func fromFile(_ path: String, _ variable: String) throws -> [UInt8] {
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
    static func fromTerminal(prompt: String) throws -> [UInt8] {
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
    static func codec(for dir: URL) throws -> EventCodec {
        guard EncryptedCaseload.isEncrypted(dir), DataDirectory.isInitialized(dir) else { return .plain }
        return try EncryptedCaseload.unlock(dir, passphrase: try current())
    }
}

struct PassphraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passphrase",
        abstract: "Change the passphrase of an encrypted caseload.",
        subcommands: [Change.self]
    )

    struct Change: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the passphrase: rewraps the data keys in keys.json; no record is rewritten.",
            discussion: "The current passphrase comes from the terminal or \(Passphrase.fileVariable), the new one from the terminal (typed twice) or \(Passphrase.newFileVariable)."
        )
        @OptionGroup var data: DataOptions

        func run() throws {
            let dir = data.directory
            guard DataDirectory.isInitialized(dir) else { throw CLIError(StoreError.notInitialized(dir.path).description) }
            guard EncryptedCaseload.isEncrypted(dir) else { throw CLIError("the caseload in \(dir.path) is not encrypted; nothing was changed") }
            let old = try Passphrase.current()
            // Checked before the new one is asked for, so a mistyped old one fails at once.
            _ = try EncryptedCaseload.unlock(dir, passphrase: old)
            let new = try Passphrase.new(fileVariable: Passphrase.newFileVariable)
            try EncryptedCaseload.changePassphrase(dir, old: old, new: new)
            say("Changed the passphrase of the caseload in \(dir.path); the journal was not rewritten")
        }
    }
}

struct EncryptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encrypt",
        abstract: "Encrypt an existing plain caseload at rest: every event kept, sealed under a new passphrase.",
        discussion: "The passphrase is typed twice at the terminal or read from \(Passphrase.fileVariable). The plain journals are moved to a folder beside the new ones, to delete once the caseload opens with the passphrase."
    )
    @OptionGroup var data: DataOptions

    func run() throws {
        let dir = data.directory
        guard DataDirectory.isInitialized(dir) else { throw CLIError(StoreError.notInitialized(dir.path).description) }
        guard !EncryptedCaseload.isEncrypted(dir) else { throw CLIError("the caseload in \(dir.path) is already encrypted; nothing was changed") }
        let passphrase = try Passphrase.new(fileVariable: Passphrase.fileVariable)
        let done = try EncryptionConversion.run(dir, passphrase: passphrase, now: Int64(Date().timeIntervalSince1970 * 1000))
        say("Encrypted the caseload in \(dir.path): \(done.events) events sealed")
        say("The plain journals are in \(done.plainCopy.path): once `caseload patient list` works with your passphrase, delete that folder "
            + "(rm -r; on an SSD, deleting may not erase every copy, so full-disk encryption is still wise). "
            + "Copies made before now (backups, sync folders, the server) still hold plain records: delete this device's "
            + "<device>.journal from each sync folder before the next sync.")
    }
}
