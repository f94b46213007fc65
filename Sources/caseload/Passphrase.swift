import ArgumentParser
import CaseloadCommandLine
import CaseloadCrypto
import CaseloadJournal
import Foundation

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
