import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadCrypto
import CaseloadJournal
import Foundation

/// For the crash tests and benchmarks: appends events one at a time (each its own write and
/// fsync) and prints `acked SEQ` after each returns, so a killer knows what was promised.
struct DebugAppend: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "debug-append", abstract: "Append events one at a time, each its own write and fsync, printing acked SEQ after each.")
    @OptionGroup var data: DataOptions
    @Option var count = 1000
    @Option(help: "Approximate payload size in bytes.") var size = 200
    @Option(help: "Write each append's time in milliseconds to this file, one a line (for scripts/bench).") var latencies: String?
    @Flag(help: "Wait for a line on stdin before each append, so a benchmark can interleave other writers.") var paced = false

    func run() throws {
        let store = try data.open()
        defer { store.close() }
        let filler = String(repeating: "x", count: max(0, size - 180))
        let start = Date()
        var times: [Double] = []
        times.reserveCapacity(latencies == nil ? 0 : count)
        for i in 0..<count {
            if paced, readLine() == nil { break }
            let t0 = DispatchTime.now().uptimeNanoseconds
            let e = try store.append([.serviceAdded(ServiceAdded(serviceId: UUID.random(), name: "bench \(i)", times: filler))])
            if latencies != nil { times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000) }
            // Unbuffered: the line must be out before the next append starts.
            StandardOutput.bytes(Array("acked \(e[0].seq) \(e[0].id.lowercasedString)\n".utf8)); StandardOutput.flush()
        }
        let seconds = Date().timeIntervalSince(start)
        if let latencies {
            _ = FileManager.default.createFile(atPath: latencies, contents: Data(times.map { String($0) + "\n" }.joined().utf8))
        }
        FileHandle.standardError.write(Data(String(format: "appended %d events in %.3f s: %.0f events/s\n", count, seconds, Double(count) / seconds).utf8))
    }
}
