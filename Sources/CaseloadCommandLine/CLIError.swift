import CaseloadCrypto
import CaseloadJournal
import Foundation

/// A problem with what the user asked for: one line on stderr, non-zero exit, nothing written.
/// The exit code says which kind (README, "Command reference"): 1 refused or not found, 65 bad
/// input data, 74 a file that cannot be read or written. Usage errors (64) come from the parser.
public struct CLIError: Error, CustomStringConvertible {
    public let description: String
    public let exitCode: Int32
    public init(_ description: String, exitCode: Int32 = ExitCodes.refused) {
        self.description = description
        self.exitCode = exitCode
    }
    public static func badData(_ description: String) -> CLIError { CLIError(description, exitCode: ExitCodes.badData) }
    public static func io(_ description: String) -> CLIError { CLIError(description, exitCode: ExitCodes.io) }
}

/// The exit codes every command uses (sysexits.h names the last three).
public enum ExitCodes {
    public static let ok: Int32 = 0
    public static let refused: Int32 = 1
    public static let usage: Int32 = 64
    public static let badData: Int32 = 65
    public static let io: Int32 = 74

    public static let help = "Exit codes: 0 done; 1 refused or not found; 64 usage; 65 bad input data; 74 a file or folder that cannot be read or written."

    /// The code for an error that reached the top, or nil to let the argument parser decide
    /// (64 for usage, 1 for the rest).
    public static func code(for error: Error) -> Int32? {
        switch error {
        case let e as CLIError: return e.exitCode
        case is JournalError: return io
        case is POSIXError: return io
        case let e as CocoaError where e.isFileError: return io
        case is CryptoError: return refused
        case is SealError: return badData
        default: return nil
        }
    }
}
