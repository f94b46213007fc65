import Foundation

/// `caseload overdue --json` written directly: byte for byte what `JSONEncoder` makes of the
/// command's records (pretty-printed, sorted keys, slashes unescaped, a final newline), without
/// its cost, which was a third of answering from `followups.idx`. Tests compare the two.
public enum OverdueJSONText {
    public static func render(_ items: [OverdueItem]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + items.count * 300)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        func ascii(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
        func key(_ name: StaticString) {
            ascii("    \"")
            ascii(name)
            ascii("\" : ")
        }
        func string(_ s: String) {
            out.append(UInt8(ascii: "\""))
            for b in s.utf8 {
                switch b {
                case UInt8(ascii: "\""): ascii("\\\"")
                case UInt8(ascii: "\\"): ascii("\\\\")
                case 0x0A: ascii("\\n")
                case 0x0D: ascii("\\r")
                case 0x09: ascii("\\t")
                case 0x08: ascii("\\b")
                case 0x0C: ascii("\\f")
                case 0..<0x20:
                    ascii("\\u00")
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0x0F)])
                default: out.append(b)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
        /// Lower-case 8-4-4-4-12, as `uuidString.lowercased()`.
        func uuid(_ u: UUID) {
            out.append(UInt8(ascii: "\""))
            withUnsafeBytes(of: u.uuid) { raw in
                for i in 0..<16 {
                    if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
                    out.append(hex[Int(raw[i] >> 4)])
                    out.append(hex[Int(raw[i] & 0x0F)])
                }
            }
            out.append(UInt8(ascii: "\""))
        }
        if items.isEmpty {
            ascii("[\n\n]\n")
            return out
        }
        ascii("[\n")
        for (i, item) in items.enumerated() {
            ascii("  {\n")
            key("daysOverdue"); out.append(contentsOf: String(item.daysOverdue).utf8); ascii(",\n")
            key("due"); string(item.due.description); ascii(",\n")
            key("followupId"); uuid(item.followupId); ascii(",\n")
            key("patientId"); uuid(item.patientId); ascii(",\n")
            key("patientName"); string(item.patientName); ascii(",\n")
            if let reason = item.reason { key("reason"); string(reason); ascii(",\n") }
            key("worker"); string(item.worker); ascii("\n")
            ascii(i == items.count - 1 ? "  }\n" : "  },\n")
        }
        ascii("]\n")
        return out
    }
}
