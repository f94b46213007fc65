import ArgumentParser
import Foundation

extension ParsableCommand {
    /// Parses the arguments and runs the command, exiting with the codes in `ExitCodes`
    /// whatever the command: the shared `main` of `caseload` and `caseload-bench`.
    public static func runExitingWithCodes() -> Never {
        do {
            var command = try parseAsRoot()
            try command.run()
            exit()
        } catch {
            if let code = ExitCodes.code(for: error) {
                FileHandle.standardError.write(Data("\(fullMessage(for: error))\n".utf8))
                Foundation.exit(code)
            }
            exit(withError: error)
        }
    }
}
