import Foundation
import XCTest

/// Runs the built `caseload` binary the way a user or a script would.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
}

enum CLI {
    /// The `caseload` executable next to the test bundle (both are SwiftPM build products).
    static let binary = product("caseload", variable: "CASELOAD_BIN")
    /// `caseload-bench`, the benchmark and test hooks (`debug-append`, ...), built beside it.
    static let bench = product("caseload-bench", variable: "CASELOAD_BENCH_BIN")

    static func product(_ name: String, variable: String) -> URL {
        if let explicit = ProcessInfo.processInfo.environment[variable] { return URL(fileURLWithPath: explicit) }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            let candidate = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [argv0, argv0.deletingLastPathComponent(), argv0.deletingLastPathComponent().deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        fatalError("cannot find the \(name) binary; set \(variable)")
    }

    @discardableResult
    static func run(_ args: [String], dataDir: URL? = nil, stdin: String? = nil, environment: [String: String] = [:], program: URL = binary) -> CLIResult {
        let p = Process()
        p.executableURL = program
        p.arguments = args + (dataDir.map { ["--data-dir", $0.path] } ?? [])
        var env = ProcessInfo.processInfo.environment
        env["CASELOAD_DATA_DIR"] = nil
        env["TZ"] = "Europe/London"
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try! p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? inp.fileHandleForWriting.close()
        // Read both pipes fully before waiting, so a large output cannot deadlock.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return CLIResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A fresh data folder per test, initialised for a worker.
class CLITestCase: XCTestCase {
    var root: URL!
    var data: URL { root.appendingPathComponent("data") }
    let asOf = "2026-11-23"

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func initialise(file: StaticString = #filePath, line: UInt = #line) {
        let r = CLI.run(["init", "--worker", "Amira Haddad", "--team", "North"], dataDir: data)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
    }

    /// Runs a command that must succeed, returning its stdout.
    @discardableResult
    func ok(_ args: [String], stdin: String? = nil, program: URL = CLI.binary, file: StaticString = #filePath, line: UInt = #line) -> CLIResult {
        let r = CLI.run(args, dataDir: data, stdin: stdin, program: program)
        XCTAssertEqual(r.status, 0, "\(program.lastPathComponent) \(args.joined(separator: " ")) failed: \(r.stderr)", file: file, line: line)
        return r
    }

    func jsonObject(_ args: [String], program: URL = CLI.binary, file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        let r = ok(args + ["--json"], program: program, file: file, line: line)
        guard let o = r.json as? [String: Any] else { XCTFail("not a JSON object: \(r.stdout)", file: file, line: line); return [:] }
        return o
    }

    func jsonArray(_ args: [String], file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        let r = ok(args + ["--json"], file: file, line: line)
        guard let a = r.json as? [[String: Any]] else { XCTFail("not a JSON array: \(r.stdout)", file: file, line: line); return [] }
        return a
    }

    var journalBytes: Data {
        let dir = data.appendingPathComponent("journal")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().filter { $0.hasSuffix(".journal") }.reduce(into: Data()) { $0.append(FileManager.default.contents(atPath: dir.appendingPathComponent($1).path)!) }
    }

    var journalPath: String {
        let dir = data.appendingPathComponent("journal")
        let name = try! FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasSuffix(".journal") }!
        return dir.appendingPathComponent(name).path
    }

    /// A bad input: non-zero exit, one clear line on stderr, and the journal unchanged.
    func refuses(_ args: [String], mentioning words: String, stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let before = journalBytes
        let r = CLI.run(args, dataDir: data, stdin: stdin)
        XCTAssertNotEqual(r.status, 0, "caseload \(args.joined(separator: " ")) should have failed", file: file, line: line)
        XCTAssertTrue(r.stderr.lowercased().contains(words.lowercased()), "stderr should mention '\(words)': \(r.stderr)", file: file, line: line)
        XCTAssertFalse(r.stderr.contains("Fatal error"), "crashed: \(r.stderr)", file: file, line: line)
        XCTAssertEqual(journalBytes, before, "the journal changed", file: file, line: line)
    }
}
