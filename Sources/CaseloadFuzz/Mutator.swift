import CaseloadCore
import Foundation

/// A seeded random mutator: the same seed gives the same inputs in the same order, so a
/// failure found in CI is reproduced by running again with the seed it printed.
public struct Mutator {
    private var rng: SeededRandom
    private let seeds: [[UInt8]]
    /// Bytes that matter to the parsers: JSON punctuation, digits, TOML, UTF-8 lead bytes.
    private static let specials: [UInt8] = Array("{}[]\":,\\-+.0123456789eEtfnul =#\n\r\t".utf8) + [0, 0x1F, 0x7F, 0x80, 0xC3, 0xE2, 0xF0, 0xFF]
    /// Lengths that sit on the journal scanner's edges.
    private static let interesting32: [UInt32] = [0, 1, 7, 8, 0x7F, 0xFF, 0x100, 0xFFFF, 0x10000, 16 << 20, (16 << 20) + 1, 0x7FFF_FFFF, 0xFFFF_FFFF]

    public init(seed: UInt64, seeds: [[UInt8]]) {
        rng = SeededRandom(seed: seed)
        self.seeds = seeds.isEmpty ? [[]] : seeds
    }

    /// A seed with one to eight random edits.
    public mutating func next() -> [UInt8] {
        var b = rng.pick(seeds)
        for _ in 0..<rng.int(1...8) { mutate(&b) }
        return b
    }

    private mutating func mutate(_ b: inout [UInt8]) {
        let choice = rng.int(0...9)
        if b.isEmpty { b.append(rng.pick(Mutator.specials)); return }
        let i = rng.int(0...(b.count - 1))
        switch choice {
        case 0: b[i] ^= UInt8(1) << UInt8(rng.int(0...7))
        case 1: b[i] = UInt8(truncatingIfNeeded: rng.next())
        case 2: b[i] = rng.pick(Mutator.specials)
        case 3: b.removeSubrange(i..<min(b.count, i + rng.int(1...16)))
        case 4: b.insert(contentsOf: (0..<rng.int(1...8)).map { _ in rng.pick(Mutator.specials) }, at: i)
        case 5:
            // Repeat a stretch (a duplicated record, a nested value).
            let end = min(b.count, i + rng.int(1...64))
            b.insert(contentsOf: b[i..<end], at: rng.int(0...b.count))
        case 6:
            // Splice in part of another seed.
            let other = rng.pick(seeds)
            guard !other.isEmpty else { return }
            let j = rng.int(0...(other.count - 1))
            b.replaceSubrange(i..<min(b.count, i + rng.int(0...32)), with: other[j..<min(other.count, j + rng.int(1...64))])
        case 7:
            // Overwrite a little-endian 32-bit number (a record length or checksum).
            guard b.count >= 4 else { return }
            let v = rng.pick(Mutator.interesting32)
            let at = rng.int(0...(b.count - 4))
            for k in 0..<4 { b[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
        case 8: b.removeSubrange(rng.int(0...(b.count - 1))...)
        default:
            // Swap two bytes.
            let j = rng.int(0...(b.count - 1))
            b.swapAt(i, j)
        }
    }
}
