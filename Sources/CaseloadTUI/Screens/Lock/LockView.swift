/// The idle lock's whole screen: what the app is and how to unlock it, and nothing from the
/// caseload (no name, note, list, header or status line), so a screen left on at a venue shows
/// nobody's record.
enum LockView {
    static func draw(_ state: AppState, into grid: inout Grid) {
        guard let lock = state.lock else { return }
        var lines: [(String, Role)] = [("Caseload is locked", .title), ("", .normal)]
        if state.needsPassphrase {
            lines.append(("Type your passphrase and press Enter to unlock.", .normal))
            // Dots for what is typed, so a key that did not arrive shows, but never the text.
            lines.append(("Passphrase: " + String(repeating: "•", count: min(lock.typed.text.count, 40)), .input))
            if lock.checking {
                lines.append(("Checking…", .dim))
            } else if lock.wrongTries > 0 {
                lines.append(("Wrong passphrase (\(lock.wrongTries) \(lock.wrongTries == 1 ? "try" : "tries")); type it again.", .error))
            }
        } else {
            lines.append(("Press Enter to show the caseload again.", .normal))
            lines.append(("(This caseload is not encrypted, so there is no passphrase to ask for.)", .dim))
        }
        if state.editor != nil {
            lines.append(("", .normal))
            lines.append(("The note you were typing is kept.", .dim))
        }
        let top = max(0, (state.height - lines.count) / 2)
        var cursor: (Int, Int)?
        for (i, (line, role)) in lines.enumerated() where top + i < state.height {
            let t = DisplayWidth.truncate(line, columns: state.width)
            let x = max(0, (state.width - DisplayWidth.of(t)) / 2)
            let written = grid.put(t, x: x, y: top + i, role: role)
            if line.hasPrefix("Passphrase: ") { cursor = (min(x + written, max(0, state.width - 1)), top + i) }
        }
        grid.cursor = cursor ?? (0, 0)
        grid.cursorVisible = cursor != nil
    }
}
