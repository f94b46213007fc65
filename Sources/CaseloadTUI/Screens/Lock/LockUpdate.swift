import Foundation

/// Locking on idle, and the keys and paste the lock takes until it is lifted.
extension AppState {
    /// The default idle time before the lock (config `idle_lock_minutes`, 0 = never).
    public static let defaultIdleLockSeconds: Double = 5 * 60

    var isLocked: Bool { lock != nil }

    /// On each tick: lock once the idle time has passed since the last input.
    mutating func lockIfIdle() {
        guard lock == nil, idleLockSeconds > 0 else { return }
        guard let last = lastInputAt else { lastInputAt = now; return }
        if now - last >= idleLockSeconds { lock = LockState() }
    }

    /// A key while locked. An encrypted caseload needs its passphrase (checked by the runtime
    /// against the key file, as at start-up); a plain caseload has none to ask for, so the lock
    /// is a privacy screen that Enter lifts. Any other key does nothing, so a key pressed on a
    /// locked screen never acts on a record.
    mutating func lockedKey(_ key: Key) -> [Effect] {
        guard var l = lock, !l.checking else { return [] }
        guard needsPassphrase else {
            if key == .enter { unlock() }
            return []
        }
        switch key {
        case .enter:
            guard !l.typed.isEmpty else { return [] }
            l.checking = true
            let typed = Array(l.typed.text.utf8)
            l.typed.clear()
            lock = l
            return [.checkPassphrase(typed)]
        case .backspace:
            // A whole character, not its last byte.
            l.typed.deleteBackward()
        case .escape, .ctrl("u"):
            l.typed.clear()
        case .char(let c):
            if l.typed.text.utf8.count + c.utf8.count <= LockState.maxTyped { l.typed.insert(String(c)) }
        default:
            break
        }
        lock = l
        return []
    }

    /// Pasted text while locked goes into the passphrase (a password manager pastes it).
    mutating func lockedPaste(_ text: String) -> [Effect] {
        guard needsPassphrase, var l = lock, !l.checking else { return [] }
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        if l.typed.text.utf8.count + line.utf8.count <= LockState.maxTyped { l.typed.insert(line) }
        lock = l
        return []
    }

    mutating func passphraseChecked(ok: Bool) {
        guard var l = lock else { return }
        if ok {
            unlock()
        } else {
            l.checking = false
            l.wrongTries += 1
            lock = l
        }
    }

    private mutating func unlock() {
        lock = nil
        lastInputAt = now
    }
}
