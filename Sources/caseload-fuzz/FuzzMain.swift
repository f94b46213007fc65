import CaseloadFuzz
import Foundation

/// `scripts/fuzz TARGET SECONDS` builds this with `-sanitize=fuzzer -DCASELOAD_LIBFUZZER` and
/// runs `caseload-fuzz TARGET [libFuzzer options] CORPUS...`. Without libFuzzer it can still
/// replay inputs and run the seeded mutator for as long as asked:
///
///     caseload-fuzz --replay TARGET FILE...
///     caseload-fuzz --mutate TARGET SECONDS [SEED]
///     caseload-fuzz --seeds TARGET DIR          (write the starting inputs into DIR)
@main
struct FuzzMain {
    static func main() {
        let args = CommandLine.arguments
        func target(_ name: String) -> FuzzTarget {
            guard let t = FuzzTarget(rawValue: name) else {
                fail("unknown target '\(name)'; targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return t
        }
        switch args.count > 1 ? args[1] : "" {
        case "--seeds" where args.count == 4:
            let t = target(args[2])
            try? FileManager.default.createDirectory(atPath: args[3], withIntermediateDirectories: true)
            for (i, s) in t.seeds.enumerated() {
                _ = FileManager.default.createFile(atPath: "\(args[3])/seed-\(i)", contents: Data(s))
            }
        case "--replay" where args.count >= 3:
            let t = target(args[2])
            var failed = 0
            for file in args.dropFirst(3) {
                guard let bytes = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
                do { try t.run([UInt8](bytes)) } catch { failed += 1; print("\(file): \(error)") }
            }
            print("\(args.count - 3) inputs replayed, \(failed) failed")
            exit(failed == 0 ? 0 : 1)
        case "--mutate" where args.count >= 4:
            let t = target(args[2])
            let seconds = Double(args[3]) ?? 60
            let seed = args.count > 4 ? UInt64(args[4]) ?? 1 : UInt64(Date().timeIntervalSince1970)
            print("mutating \(t.rawValue) for \(Int(seconds)) s from seed \(seed)")
            var mutator = Mutator(seed: seed, seeds: t.seeds)
            let deadline = Date().addingTimeInterval(seconds)
            var runs = 0
            while Date() < deadline {
                for _ in 0..<100 {
                    let input = mutator.next()
                    runs += 1
                    do { try t.run(input) } catch {
                        fail("input #\(runs) (seed \(seed)): \(error)\nbase64: \(Data(input).base64EncodedString())")
                    }
                }
            }
            FuzzTarget.removeTemporaryFiles()
            print("\(runs) inputs, no failure")
        default:
            #if CASELOAD_LIBFUZZER
            guard args.count >= 2 else { fail("usage: caseload-fuzz TARGET [libFuzzer options] [CORPUS...]") }
            LibFuzzer.target = target(args[1])
            LibFuzzer.run(arguments: [args[0]] + args.dropFirst(2))
            #else
            fail("usage: caseload-fuzz --replay|--mutate|--seeds TARGET ... (libFuzzer mode needs scripts/fuzz)")
            #endif
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("caseload-fuzz: \(message)\n".utf8))
        exit(1)
    }
}

#if CASELOAD_LIBFUZZER
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

enum LibFuzzer {
    nonisolated(unsafe) static var target = FuzzTarget.journalScan

    static func run(arguments: [String]) -> Never {
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var argc = CInt(arguments.count)
        // libFuzzer ends the process with exit(): clean up the journal-open data folder then.
        atexit { FuzzTarget.removeTemporaryFiles() }
        let code = argv.withUnsafeMutableBufferPointer { buffer -> CInt in
            var base = buffer.baseAddress
            return LLVMFuzzerRunDriver(&argc, &base, fuzzOneInput)
        }
        exit(code)
    }
}

/// libFuzzer's entry point (its own `main` is linked in too and needs the symbol).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    // An invariant broken is a finding like a crash: stop so libFuzzer saves the input.
    do { try LibFuzzer.target.run(bytes) } catch { fatalError("\(LibFuzzer.target.rawValue): \(error)") }
    return 0
}
#endif
