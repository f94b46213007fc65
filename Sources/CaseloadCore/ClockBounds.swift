/// How far a clock counter from another device may go. A counter only climbs while many events
/// share one millisecond (or the clock runs ahead of the wall), so real ones stay far below
/// these; a bigger one is forged or broken, and adopting it would leave this device's own next
/// counters beyond what the team server stores (PostgreSQL `int`), unable to push again.
public enum ClockBounds {
    /// The team server refuses an event whose counter is above this (a check constraint).
    public static let serverMaxCounter: UInt32 = 1_000_000_000
    /// A device takes in no event whose counter is above this (the one bound every reader
    /// keeps, `HLC.maxCounter`): a tenth of the server's, so a device that adopted the largest
    /// allowed counter still has 900 million events to go.
    public static let maxAdoptedCounter: UInt32 = HLC.maxCounter
}
