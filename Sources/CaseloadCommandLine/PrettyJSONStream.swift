import Foundation

/// A JSON object written a member at a time, and an array member an element at a time, byte for
/// byte what `JSONEncoder` (pretty-printed, sorted keys, slashes unescaped) makes of the whole
/// object: each piece is encoded alone and indented to its depth. `export --format json` of
/// 50,000 people built the whole document as one tree first (3.5 GB); now it holds one person.
/// Members must be given in sorted order, as `.sortedKeys` would write them. The text gathers
/// in `bytes` until `drain` hands it on.
public final class PrettyJSONStream {
    public private(set) var bytes: [UInt8] = []
    private let encoder: JSONEncoder
    private var members = 0
    private var elements = 0
    private var lastKey: String?

    public init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        bytes.append(UInt8(ascii: "{"))
    }

    /// Hands over the text written so far and forgets it.
    public func drain(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try bytes.withUnsafeBytes(body)
        bytes.removeAll(keepingCapacity: true)
    }

    private func write(_ more: [UInt8]) { bytes.append(contentsOf: more) }

    public func member<T: Encodable>(_ key: String, _ value: T) throws {
        write(memberStart(key) + Self.indented(Array(try encoder.encode(value)), by: 2))
    }

    public func beginArray(_ key: String) {
        write(memberStart(key) + Array("[".utf8))
        elements = 0
    }

    public func element<T: Encodable>(_ value: T) throws {
        write(Array(((elements > 0 ? "," : "") + "\n    ").utf8) + Self.indented(Array(try encoder.encode(value)), by: 4))
        elements += 1
    }

    /// An empty array is `[`, a blank line, `]`, as JSONEncoder writes it.
    public func endArray() { write(Array((elements == 0 ? "\n\n  ]" : "\n  ]").utf8)) }

    public func end() { write(Array((members == 0 ? "\n\n}" : "\n}").utf8)) }

    private func memberStart(_ key: String) -> [UInt8] {
        precondition(lastKey.map { $0 < key } ?? true, "members in sorted order, as .sortedKeys writes them")
        lastKey = key
        defer { members += 1 }
        return Array(((members > 0 ? "," : "") + "\n  \"\(key)\" : ").utf8)
    }

    /// Every line after the first moved right by `depth` spaces, except blank ones (the inside
    /// of an empty array or object). A line break inside a string is `\n`, never a raw byte.
    static func indented(_ json: [UInt8], by depth: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count + json.count / 8)
        for (i, b) in json.enumerated() {
            out.append(b)
            if b == 0x0A, i + 1 < json.count, json[i + 1] != 0x0A {
                out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth))
            }
        }
        return out
    }
}
