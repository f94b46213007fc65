import ArgumentParser
import CaseloadCommandLine
import CaseloadJournal
import Foundation

/// For benchmarks: CRC32C of a buffer through the processor's instruction and through the
/// tables, taking turns, with whether they agree. Prints numbers only.
struct DebugChecksum: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "debug-checksum", abstract: "CRC32C of a random buffer through the instruction and the tables, taking turns.")
    @Option(help: "Size of the buffer in MiB (1-1024).") var megabytes = 100
    @Option(help: "Times each way.") var rounds = 5

    struct Report: Encodable {
        var megabytes: Int
        var hardware: Bool
        var hardwareMs: Double
        var softwareMs: Double
        var agree: Bool
    }

    func run() throws {
        guard (1...1024).contains(megabytes), (1...100).contains(rounds) else {
            throw ValidationError("--megabytes is 1-1024 and --rounds 1-100")
        }
        var rng = SystemRandomNumberGenerator()
        let words = (0..<(megabytes << 17)).map { _ in rng.next() as UInt64 }
        var hardware: [Double] = [], software: [Double] = []
        var agree = true
        words.withUnsafeBytes { p in
            for _ in 0..<rounds {
                var start = DispatchTime.now().uptimeNanoseconds
                let h = CRC32C.hardwareChecksum(p)
                hardware.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
                start = DispatchTime.now().uptimeNanoseconds
                let s = CRC32C.softwareChecksum(p)
                software.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
                if let h, h != s { agree = false }
            }
        }
        let median = { (xs: [Double]) in xs.sorted()[xs.count / 2] }
        try printJSON(Report(megabytes: megabytes, hardware: CRC32C.usesHardware, hardwareMs: CRC32C.usesHardware ? median(hardware) : 0,
                             softwareMs: median(software), agree: agree))
    }
}
