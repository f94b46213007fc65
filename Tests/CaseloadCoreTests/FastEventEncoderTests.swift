import XCTest
import CaseloadCore

/// The fast encoder must write byte for byte what JSONEncoder (sorted keys, slashes kept)
/// writes: journal payloads are stored, synced and compared as bytes.
final class FastEventEncoderTests: XCTestCase {
    typealias Fixtures = FastEventDecoderTests

    static let reference: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    func assertSameBytes(_ e: Event, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try Self.reference.encode(e)
        let actual = FastEventEncoder.encode(e)
        XCTAssertEqual(String(decoding: actual, as: UTF8.self), String(decoding: expected, as: UTF8.self), file: file, line: line)
        XCTAssertEqual(actual, expected, file: file, line: line)
        XCTAssertEqual(try e.encoded(), expected, "Event.encoded() must go through the same bytes", file: file, line: line)
    }

    func testEveryBodyWithAllOptionalsSet() throws {
        for body in Fixtures.fullBodies() { try assertSameBytes(Fixtures.event(body)) }
    }

    func testEveryBodyWithNoOptionals() throws {
        for body in Fixtures.minimalBodies() { try assertSameBytes(Fixtures.event(body)) }
    }

    func testUnknownTypeAndEdgeValues() throws {
        try assertSameBytes(Fixtures.event(.unknown(type: "future.thing")))
        let extremes = Event(id: Fixtures.uuid(0), device: UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)),
                             seq: .max, clock: HLC(wallMillis: .min, counter: .max), author: "",
                             body: .measureRecorded(MeasureRecorded(measureId: Fixtures.uuid(2), patientId: Fixtures.uuid(3), instrument: .swemwbs,
                                                                    answers: [Int.min, -1, 0, Int.max], date: Day(ordinal: 0))))
        try assertSameBytes(extremes)
        try assertSameBytes(Fixtures.event(.measureRecorded(MeasureRecorded(measureId: Fixtures.uuid(2), patientId: Fixtures.uuid(3),
                                                                             instrument: .ons4, answers: [], date: Day(ordinal: -800_000)))))
        for ordinal in [-719_529, -719_528, -1, 0, 2_932_896, 2_932_897, 10_000_000] {
            try assertSameBytes(Fixtures.event(.goalProgressed(GoalProgressed(goalId: Fixtures.uuid(4), score: -3, date: Day(ordinal: ordinal)))))
        }
    }

    /// Strings that stress escaping: quotes, backslashes, every control character, slashes,
    /// DEL, emoji, combining marks, line/paragraph separators, NUL, byte order marks.
    func testRandomNastyStrings() throws {
        var rng = SeededRandom(seed: 20261124)
        var pieces: [String] = ["\"", "\\", "/", "\u{7F}", "😀", "👩‍👩‍👧", "e\u{301}", "\u{2028}", "\u{2029}", "\u{FEFF}",
                                "é", "漢字", "\u{10FFFF}", "\\u0000", "</script>", "a", " ", "Said \"hello\"\nthen left"]
        for v in 0..<0x20 { pieces.append(String(Unicode.Scalar(UInt8(v)))) }
        func nasty() -> String {
            (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
        }
        for _ in 0..<300 {
            let text = nasty()
            for body in Fixtures.fullBodies(text: text) + Fixtures.minimalBodies() {
                let e = Event(id: rng.uuid(), device: rng.uuid(), seq: rng.next() >> 1,
                              clock: HLC(wallMillis: Int64(bitPattern: rng.next() >> 20), counter: UInt32(truncatingIfNeeded: rng.next())),
                              author: nasty(), body: body)
                try assertSameBytes(e)
            }
            try assertSameBytes(Fixtures.event(.workerRegistered(WorkerRegistered(workerId: nasty(), name: nasty(), team: nasty(), role: nasty()))))
            try assertSameBytes(Fixtures.event(.deviceSynced(DeviceSynced(target: nasty()))))
            try assertSameBytes(Fixtures.event(.serviceUpdated(ServiceAdded(serviceId: rng.uuid(), name: nasty(), organisation: nasty(), category: nasty(),
                                                                             contact: nasty(), address: nasty(), times: nasty(), externalId: nasty(),
                                                                             source: nasty(), lastModified: nasty()))))
            try assertSameBytes(Fixtures.event(.unknown(type: nasty())))
        }
    }

    func testDemoCaseloadEncodesTheSame() throws {
        let items = DemoCaseload.generate(patients: 50, seed: 11, asOf: Day("2026-11-23")!)
        for (n, item) in items.enumerated() {
            try assertSameBytes(item.event(device: Fixtures.uuid(1), seq: UInt64(n + 1)))
        }
    }

    func testRandomUUIDsAreVersion4() {
        var seen = Set<UUID>()
        for _ in 0..<1000 {
            let u = UUID.random()
            XCTAssertEqual(u.uuid.6 >> 4, 4, "version nibble")
            XCTAssertEqual(u.uuid.8 >> 6, 0b10, "RFC 4122 variant")
            XCTAssertEqual(UUID(uuidString: u.uuidString), u)
            seen.insert(u)
        }
        XCTAssertEqual(seen.count, 1000)
    }

    /// Seeded demo ids are made the same way, so a seed still gives the ids it always gave.
    func testSeededUUIDsAreStable() {
        var rng = SeededRandom(seed: 1)
        // What SeededRandom(seed: 1).uuid() gave before it went through UUID.version4(using:).
        XCTAssertEqual(rng.uuid().uuidString, "67EC8E65-A18D-4BBE-9E55-32FBEEA293F8")
    }

    /// Prints the CPU both ways (encoder, and id generation); no timed assertion.
    func testBenchmarkAgainstJSONEncoder() throws {
        guard ProcessInfo.processInfo.environment["CASELOAD_BENCH"] == "1" else {
            throw XCTSkip("set CASELOAD_BENCH=1 to run the encoding benchmark")
        }
        let items = DemoCaseload.generate(patients: 2_000, seed: 1, asOf: Day("2026-11-23")!)
        let events = items.enumerated().map { n, item in item.event(device: Fixtures.uuid(1), seq: UInt64(n + 1)) }
        func seconds(_ work: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try work()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var bytes = 0
        let reference = try seconds { for e in events { bytes &+= try Self.reference.encode(e).count } }
        let fast = min(seconds { for e in events { bytes &+= FastEventEncoder.encode(e).count } },
                       seconds { for e in events { bytes &+= FastEventEncoder.encode(e).count } })
        let n = 100_000
        var sink = 0
        let foundation = seconds { for _ in 0..<n { sink &+= Int(UUID().uuid.0) } }
        let kernel = seconds { for _ in 0..<n { sink &+= Int(UUID.random().uuid.0) } }
        print(String(format: "encode benchmark: %d events: JSONEncoder %.2f µs/event, fast %.2f µs/event (%.1fx); UUID() %.2f µs, UUID.random() %.2f µs (%d %d)",
                     events.count, reference / Double(events.count) * 1e6, fast / Double(events.count) * 1e6, reference / fast,
                     foundation / Double(n) * 1e6, kernel / Double(n) * 1e6, bytes & 1, sink & 1))
    }
}
