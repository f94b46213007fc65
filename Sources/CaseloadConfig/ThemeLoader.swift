import CaseloadTUI
import Foundation

/// Finds and loads a theme by name: `$CASELOAD_THEMES_DIR`, then the repository's themes/
/// folder next to the executable (for `swift run`), then an installed share/caseload/themes,
/// then ./themes; the three built-in themes when none is found. `NO_COLOR` always means monochrome.
public enum ThemeLoader {
    public enum Problem: Error, CustomStringConvertible {
        case notFound(name: String, searched: [String])
        case unreadable(TOMLFileError)

        public var description: String {
            switch self {
            case let .notFound(name, searched):
                return "no theme \"\(name)\"; looked in \(searched.joined(separator: ", ")). Try default, high-contrast or monochrome."
            case let .unreadable(error): return "theme \(error)"
            }
        }
    }

    public static func load(name: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Theme {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty, name == nil || name == "monochrome" || name == "default" {
            return .monochrome
        }
        let wanted = name ?? "default"
        let dirs = searchDirectories(environment: environment)
        for dir in dirs {
            let path = dir.appendingPathComponent("\(wanted).toml").path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            switch Result(catching: { () throws(TOMLFileError) -> Theme in try ThemeFile.parse(TOMLDocument.read(path: path), name: wanted, file: path) }) {
            case .success(var theme):
                if environment["NO_COLOR"].map({ !$0.isEmpty }) ?? false { theme.usesColor = false }
                return theme
            case .failure(let error):
                throw Problem.unreadable(error)
            }
        }
        if var theme = Theme.embedded(named: wanted) {
            if environment["NO_COLOR"].map({ !$0.isEmpty }) ?? false { theme.usesColor = false }
            return theme
        }
        throw Problem.notFound(name: wanted, searched: dirs.map(\.path))
    }

    static func searchDirectories(environment: [String: String]) -> [URL] {
        var dirs: [URL] = []
        if let d = environment["CASELOAD_THEMES_DIR"], !d.isEmpty { dirs.append(URL(fileURLWithPath: d)) }
        let exe = executableURL().deletingLastPathComponent()
        // .build/<triple>/debug/caseload → repository root is three folders up; .build/debug is two.
        dirs.append(exe.appendingPathComponent("../../../themes").standardizedFileURL)
        dirs.append(exe.appendingPathComponent("../../themes").standardizedFileURL)
        // PREFIX/bin/caseload → PREFIX/share/caseload/themes, where scripts/install puts them.
        dirs.append(exe.appendingPathComponent("../share/caseload/themes").standardizedFileURL)
        dirs.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("themes"))
        return dirs
    }

    static func executableURL() -> URL {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        #endif
        return URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
    }
}
