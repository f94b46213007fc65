import CCRC32C

/// CRC-32C (Castagnoli), the checksum LevelDB and ext4 use for the same job: catching torn
/// and flipped bytes in records. The processor's own instruction where it has one (SSE4.2,
/// ARM CRC: about 4x the tables, a fifth of opening a large snapshot was the checksum),
/// chosen once at run time; else slice-by-8 tables. Both give the same value (tests prove it).
public enum CRC32C {
    /// Whether checksums use the processor's instruction on this machine.
    public static let usesHardware = caseload_crc32c_hw_available() != 0

    static let tables: [[UInt32]] = {
        var t = Array(repeating: Array(repeating: UInt32(0), count: 256), count: 8)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[0][i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 { t[k][i] = (t[k - 1][i] >> 8) ^ t[0][Int(t[k - 1][i] & 0xFF)] }
        }
        return t
    }()

    public static func checksum<C: Collection>(_ bytes: C, seed: UInt32 = 0) -> UInt32 where C.Element == UInt8 {
        if let result = bytes.withContiguousStorageIfAvailable({ update(~seed, $0) }) { return ~result }
        return ~Array(bytes).withUnsafeBufferPointer { update(~seed, $0) }
    }

    public static func checksum(_ buffer: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        ~update(~seed, buffer.bindMemory(to: UInt8.self))
    }

    /// The table-driven value whatever the machine has: the fallback, and what tests and
    /// `scripts/bench` compare the instruction with.
    public static func softwareChecksum(_ buffer: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        ~softwareUpdate(~seed, buffer.bindMemory(to: UInt8.self))
    }

    /// The instruction's value, or nil where the processor has none.
    public static func hardwareChecksum(_ buffer: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32? {
        guard usesHardware else { return nil }
        return ~hardwareUpdate(~seed, buffer.bindMemory(to: UInt8.self))
    }

    private static func update(_ start: UInt32, _ p: UnsafeBufferPointer<UInt8>) -> UInt32 {
        usesHardware ? hardwareUpdate(start, p) : softwareUpdate(start, p)
    }

    private static func hardwareUpdate(_ start: UInt32, _ p: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard let base = p.baseAddress, !p.isEmpty else { return start }
        return caseload_crc32c_hw_update(start, base, p.count)
    }

    private static func softwareUpdate(_ start: UInt32, _ p: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var crc = start
        var i = 0
        let n = p.count
        let t0 = tables[0], t1 = tables[1], t2 = tables[2], t3 = tables[3]
        let t4 = tables[4], t5 = tables[5], t6 = tables[6], t7 = tables[7]
        while n - i >= 8 {
            let lo = crc ^ (UInt32(p[i]) | UInt32(p[i + 1]) << 8 | UInt32(p[i + 2]) << 16 | UInt32(p[i + 3]) << 24)
            let hi = UInt32(p[i + 4]) | UInt32(p[i + 5]) << 8 | UInt32(p[i + 6]) << 16 | UInt32(p[i + 7]) << 24
            crc = t7[Int(lo & 0xFF)] ^ t6[Int((lo >> 8) & 0xFF)] ^ t5[Int((lo >> 16) & 0xFF)] ^ t4[Int(lo >> 24)]
                ^ t3[Int(hi & 0xFF)] ^ t2[Int((hi >> 8) & 0xFF)] ^ t1[Int((hi >> 16) & 0xFF)] ^ t0[Int(hi >> 24)]
            i += 8
        }
        while i < n {
            crc = t0[Int((crc ^ UInt32(p[i])) & 0xFF)] ^ (crc >> 8)
            i += 1
        }
        return crc
    }

    /// LevelDB's masking: a CRC stored inside data that is itself checksummed is rotated and
    /// offset so that checksumming a checksum does not produce degenerate values.
    public static func mask(_ crc: UInt32) -> UInt32 { ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8 }
}
