import CaseloadCommandLine
import CaseloadCore
import Foundation
import XCTest

/// `PrettyJSONStream` writes what `JSONEncoder` writes of the whole object: an export read
/// before it changed reads the same.
final class PrettyJSONStreamTests: XCTestCase {
    struct Person: Encodable {
        var name: String
        var born: Day?
        var scores: [Double]
        var notes: [Note]
        var tags: [String: String]
        var nested: [[Int]]
    }
    struct Note: Encodable { var text: String; var lines: [String] }
    struct Whole: Encodable {
        var exportedOn: Day
        var patients: [Person]
        var services: [Note]
        var workers: [String]
    }

    func encodedWhole(_ w: Whole) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(w))
    }

    func streamed(_ w: Whole) throws -> [UInt8] {
        let json = PrettyJSONStream()
        var out: [UInt8] = []
        try json.member("exportedOn", w.exportedOn)
        json.beginArray("patients")
        for p in w.patients {
            try json.element(p)
            json.drain { out.append(contentsOf: $0) }  // drained between pieces, as the export does
        }
        json.endArray()
        try json.member("services", w.services)
        try json.member("workers", w.workers)
        json.end()
        json.drain { out.append(contentsOf: $0) }
        return out
    }

    func testTheSameBytesAsEncodingTheWholeObject() throws {
        let awkward = ["Zoë Ó Súilleabháin", "line one\nline two", "a/b \"quoted\" \\ tab\t", "\u{01}\u{1F}", "🙂 王小明", ""]
        var rng = SeededRandom(seed: 16)
        let people = (0..<40).map { i in
            Person(name: awkward[i % awkward.count], born: i % 3 == 0 ? nil : Day(ordinal: 3000 + i * 97),
                   scores: (0..<(i % 4)).map { _ in Double(Int.random(in: -3000...3000, using: &rng)) / 100 },
                   notes: (0..<(i % 3)).map { n in Note(text: awkward[(i + n) % awkward.count], lines: n == 0 ? [] : ["x", "y/z"]) },
                   tags: i % 2 == 0 ? [:] : ["b": "2", "a": awkward[i % awkward.count]],
                   nested: i % 5 == 0 ? [] : [[], [i, -i]])
        }
        let cases = [
            Whole(exportedOn: Day("2026-12-03")!, patients: people, services: [Note(text: "walking group", lines: [])], workers: ["amira", "ben"]),
            Whole(exportedOn: Day("2026-12-03")!, patients: [], services: [], workers: []),
            Whole(exportedOn: Day("1999-01-31")!, patients: [people[1]], services: [], workers: ["amira"]),
        ]
        for (i, w) in cases.enumerated() {
            let a = try streamed(w), b = try encodedWhole(w)
            XCTAssertEqual(a, b, "case \(i):\n\(String(decoding: a, as: UTF8.self))\n---\n\(String(decoding: b, as: UTF8.self))")
        }
    }
}
