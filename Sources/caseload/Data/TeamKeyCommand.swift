import ArgumentParser
import CaseloadCommandLine
import CaseloadCrypto
import CaseloadJournal
import Foundation

/// `caseload team-key`: a new device given the team's keys, and a rotation when someone leaves
/// (README, "A team's devices"). Requests and grants are one line of text each, safe to send
/// by the sync folder, email or chat: neither holds a usable key.
struct TeamKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team-key",
        abstract: "Share the team's encryption key with a new device, or rotate it when someone leaves.",
        discussion: """
            On the new device: caseload team-key request --out req.txt, and read its fingerprint out to a colleague.
            On a colleague's device: caseload team-key grant req.txt --fingerprint FP --out grant.txt, and read the team key's fingerprint back.
            On the new device: caseload team-key accept grant.txt --fingerprint TEAMFP.
            """,
        subcommands: [Request.self, Grant.self, Accept.self, Rotate.self])

    static func encryptedDirectory(_ data: DataOptions) throws -> URL {
        let dir = data.directory
        guard DataDirectory.isInitialized(dir) else { throw CLIError(StoreError.notInitialized(dir.path).description) }
        guard EncryptedCaseload.isEncrypted(dir) else { throw CLIError("the caseload in \(dir.path) is not encrypted (caseload encrypt); nothing was changed") }
        return dir
    }

    /// The text of `path` (`-`: standard input), at most 1 MB.
    static func readText(_ path: String) throws -> String {
        let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
        guard let data else { throw CLIError("cannot read \(path)") }
        guard data.count <= 1 << 20 else { throw CLIError("\(path) is larger than a key request or grant can be") }
        return String(decoding: data, as: UTF8.self)
    }

    /// The line written to `out`, or printed.
    static func emit(_ line: String, to out: String?) throws {
        guard let out else { return say(line) }
        do { try PrivateFile.save(Data((line + "\n").utf8), to: out) } catch { throw CLIError("cannot write \(out): \(error)") }
    }

    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "This device's request for the team key, and the fingerprint to read out.")
        @OptionGroup var data: DataOptions
        @Option(help: "Write the request here (else it is printed).") var out: String?

        func run() throws {
            let dir = try TeamKeyCommand.encryptedDirectory(data)
            let (request, fingerprint) = try TeamKeyEnrollment.request(dir, passphrase: try Passphrase.current())
            try TeamKeyCommand.emit(request.text, to: out)
            say("Fingerprint of this device's request: \(fingerprint)")
            say("Read it out to the colleague who grants (in person or on the phone), then accept their grant.")
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Grant the team key to a new device, once its fingerprint matches.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The request (a file, or - for standard input).") var request: String
        @Option(help: "The fingerprint the new device's user read out to you.") var fingerprint: String
        @Option(help: "Write the grant here (else it is printed).") var out: String?

        func run() throws {
            let dir = try TeamKeyCommand.encryptedDirectory(data)
            guard let request = TeamKeys.Request.parse(try TeamKeyCommand.readText(self.request)) else {
                throw CLIError("\(self.request) holds no key request (a line starting caseload-key-request); nothing was granted")
            }
            let (grant, team) = try TeamKeyEnrollment.grant(dir, passphrase: try Passphrase.current(), request: request, fingerprint: fingerprint)
            try TeamKeyCommand.emit(grant.text, to: out)
            say("Granted the team key to \(request.worker)'s device \(request.device.uuidString.lowercased().prefix(8)).")
            say("Team key fingerprint: \(team) (read it back to them: they accept with it)")
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take the team key from a colleague's grant, once its fingerprint matches.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The grant (a file, or - for standard input).") var grant: String
        @Option(help: "The team key's fingerprint the granting colleague read out to you.") var fingerprint: String

        func run() throws {
            let dir = try TeamKeyCommand.encryptedDirectory(data)
            guard let grant = TeamKeys.Grant.parse(try TeamKeyCommand.readText(self.grant)) else {
                throw CLIError("\(self.grant) holds no key grant (a line starting caseload-key-grant); nothing was changed")
            }
            let team = try TeamKeyEnrollment.accept(dir, passphrase: try Passphrase.current(), grant: grant, fingerprint: fingerprint)
            say("This device now holds the team key (\(team)): sync to read your colleagues' records")
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A new team key for everything written from now on (after someone leaves); grant it to every remaining device.")
        @OptionGroup var data: DataOptions

        func run() throws {
            let dir = try TeamKeyCommand.encryptedDirectory(data)
            let team = try TeamKeyEnrollment.rotate(dir, passphrase: try Passphrase.current())
            say("A new team key is current (\(team)); earlier records still open with the earlier keys.")
            say("Grant it to each remaining device (they request again, or reuse their request): the leaver's devices never receive it.")
        }
    }
}
