#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random numbers from the kernel, fetched 256 bytes a call: `SystemRandomNumberGenerator`
/// makes one getrandom call for every 8 bytes, two for each new event id, which was 4% of
/// importing a caseload of 10,000 people.
struct BatchedRandom: RandomNumberGenerator {
    // One getentropy call's worth (its most): 16 ids a call, and a one-event write still
    // makes just one call.
    private var words = [UInt64](repeating: 0, count: 32)
    private var used = 32

    mutating func next() -> UInt64 {
        if used == words.count { refill() }
        defer { used += 1 }
        return words[used]
    }

    private mutating func refill() {
        words.withUnsafeMutableBytes { buffer in
            var system = SystemRandomNumberGenerator()
            var filled = 0
            if getentropy(buffer.baseAddress!, buffer.count) == 0 { filled = buffer.count }
            // Where getrandom is missing or failed, the standard library's generator fills the rest.
            while filled + 8 <= buffer.count {
                buffer.storeBytes(of: system.next(), toByteOffset: filled, as: UInt64.self)
                filled += 8
            }
        }
        used = 0
    }
}
