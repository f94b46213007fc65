import Foundation

/// The idle lock: after `idleLockSeconds` without a key, click or paste the screen shows only
/// the lock (no name, note or list), and every key goes to it until it is unlocked. Nothing
/// else in the state changes, so a note being typed is still there, and its draft autosave
/// goes on, while locked.
public struct LockState: Sendable, Equatable {
    /// What has been typed at the lock, never drawn (only its length, as dots).
    public var typed = TextInput()
    /// The runtime is checking the passphrase against the key file.
    public var checking = false
    /// The last wrong try, said on the lock screen.
    public var wrongTries = 0

    public init() {}

    /// A passphrase longer than this (in UTF-8 bytes) is not one anybody typed.
    static let maxTyped = 1024
}
