import CaseloadTUI
import CCurses
import CaseloadText
import Foundation

/// The only code that talks to curses: set the terminal up and restore it, read keys and
/// pastes, copy a `Grid` to the screen. Curses keeps the previous screen and sends only
/// what changed.
final class CursesTerminal {
    private let theme: Theme
    private var attributes: [Role: UInt32] = [:]
    /// The grid drawn last, to skip unchanged rows.
    private var lastFrame: Grid?
    private(set) var isActive = false
    /// The user's locale is not UTF-8: symbols are drawn as ASCII (see `ASCIIFallback`).
    private var asciiOnly = false

    /// Key codes we teach curses for sequences terminfo does not name.
    private static let pasteStart: Int32 = 0x7000, pasteEnd: Int32 = 0x7001
    private static let ctrlLeftCode: Int32 = 0x7002, ctrlRightCode: Int32 = 0x7003

    private let mouse: Bool
    /// The terminal has hung up (its window closed, its tmux pane killed): reading keys gives
    /// end of file at once, and would spin the run loop if it went on.
    private(set) var inputClosed = false

    init(theme: Theme, mouse: Bool = true) {
        self.theme = theme
        self.mouse = mouse
    }

    /// Takes over the terminal. Call `stop` (or let a signal handler do it) to give it back.
    func start() {
        // The user's locale first, so curses reads and writes UTF-8; then make sure width
        // measurement agrees with it.
        setlocale(LC_ALL, "")
        asciiOnly = !CursesTerminal.localeIsUTF8()
        _ = ensureUTF8CharacterLocale()
        // Esc must feel instant, yet Alt-keys and escape sequences still need a moment.
        setenv("ESCDELAY", "25", 0)
        initscr()
        raw()
        noecho()
        nonl()
        keypad(ccurses_stdscr(), true)
        set_escdelay(25)
        define_key("\u{1b}[200~", CursesTerminal.pasteStart)
        define_key("\u{1b}[201~", CursesTerminal.pasteEnd)
        define_key("\u{1b}[1;5D", CursesTerminal.ctrlLeftCode)
        define_key("\u{1b}[1;5C", CursesTerminal.ctrlRightCode)
        // Home and End as tmux, screen, rxvt and xterm send them, whatever TERM's terminfo says
        // (tmux sends ESC [1~ even where TERM=xterm-256color names ESC OH).
        for (sequence, key) in [("\u{1b}[1~", KEY_HOME), ("\u{1b}[7~", KEY_HOME), ("\u{1b}[H", KEY_HOME), ("\u{1b}OH", KEY_HOME),
                                ("\u{1b}[4~", KEY_END), ("\u{1b}[8~", KEY_END), ("\u{1b}[F", KEY_END), ("\u{1b}OF", KEY_END)] {
            define_key(sequence, key)
        }
        setUpColors()
        // Where the terminal sends no mouse events nothing changes: keys work as before.
        if mouse { ccurses_enable_mouse() }
        installSignalHandlers()
        // Bracketed paste: the terminal wraps pasted text so it is not taken as keys.
        writeRaw("\u{1b}[?2004h")
        isActive = true
    }

    /// Gives the terminal back as it was. Safe to call twice.
    func stop() {
        guard isActive else { return }
        isActive = false
        writeRaw("\u{1b}[?2004l")
        endwin()
    }

    var size: (width: Int, height: Int) { (Int(ccurses_cols()), Int(ccurses_lines())) }

    // MARK: Output

    func draw(_ frame: Grid) {
        let grid = asciiOnly ? frame.withASCIIFallback() : frame
        var scalars: [UInt32] = []
        scalars.reserveCapacity(grid.width * 2)
        var directWrites: [DirectWrite] = []
        // Rows identical to the last frame are not sent to curses at all.
        let previous = lastFrame.flatMap { $0.width == grid.width && $0.height == grid.height ? $0 : nil }
        lastFrame = grid
        for y in 0..<grid.height {
            let row = y * grid.width..<(y + 1) * grid.width
            if let previous, previous.cells[row] == grid.cells[row] { continue }
            var x = 0
            while x < grid.width {
                let cell = grid[x, y]
                if cell.isContinuation { x += 1; continue }
                // A run of cells with one role; it ends after any cluster wider than a cell or
                // made of several scalars, so the next run starts at a known column even if
                // the terminal disagrees about a width.
                let role = cell.role
                let start = x
                scalars.removeAll(keepingCapacity: true)
                while x < grid.width {
                    let c = grid[x, y]
                    if c.isContinuation { x += 1; continue }
                    if c.role != role { break }
                    let head = x
                    x += 1
                    while x < grid.width && grid[x, y].isContinuation { x += 1 }
                    if cursesCanHold(c.grapheme) {
                        scalars.append(contentsOf: c.grapheme.unicodeScalars.map(\.value))
                    } else {
                        // Curses would drop or miscount its code points: it holds blanks in
                        // these cells and the whole cluster is written after the refresh.
                        scalars.append(contentsOf: repeatElement(0x20, count: x - head))
                        directWrites.append(DirectWrite(x: head, y: y, text: String(c.grapheme), role: role))
                    }
                    if x - head > 1 || c.grapheme.unicodeScalars.count > 1 { break }
                }
                _ = ccurses_attrset(attributes[role] ?? 0)
                _ = scalars.withUnsafeBufferPointer { buf in
                    ccurses_mvaddwstr(Int32(y), Int32(start), buf.baseAddress, Int32(buf.count))
                }
            }
        }
        _ = ccurses_attrset(0)
        if let c = grid.cursor, c.x >= 0, c.y >= 0, c.x < grid.width, c.y < grid.height {
            curs_set(1)
            move(Int32(c.y), Int32(c.x))
        } else {
            curs_set(0)
        }
        refresh()
        guard !directWrites.isEmpty else { return }
        // Curses may have redrawn these cells as the blanks it holds: write the clusters over
        // them, then put the cursor back where curses left it.
        for write in directWrites {
            let printable = String(String.UnicodeScalarView(write.text.unicodeScalars.filter {
                $0.properties.generalCategory != .control
            }))
            ccurses_put_direct(Int32(write.y), Int32(write.x), attributes[write.role] ?? 0, printable)
        }
        ccurses_direct_flush()
    }

    /// A cluster written to the terminal directly, past curses' cell model.
    private struct DirectWrite {
        var x: Int
        var y: Int
        var text: String
        var role: Role
    }

    /// After a resize the old screen contents are unreliable: repaint everything.
    func forceRepaint() {
        lastFrame = nil
        clearok(ccurses_stdscr(), true)
    }

    // MARK: Input

    /// Waits up to `timeoutMs` for input. Returns nothing on timeout.
    func read(timeoutMs: Int32) -> [TerminalInput] {
        timeout(timeoutMs)
        var c: UInt32 = 0
        let r = ccurses_get_wch(&c)
        if r == ERR {
            // A timeout, or end of file on a terminal that hung up: only the second says so to poll.
            if CursesTerminal.hungUp(STDIN_FILENO) { inputClosed = true }
            return []
        }
        if r == KEY_CODE_YES { return functionKey(Int32(bitPattern: c)) }
        if c == 27 { return escape() }
        return [character(c)]
    }

    private func functionKey(_ code: Int32) -> [TerminalInput] {
        switch code {
        case KEY_RESIZE:
            forceRepaint()
            return [.resize(width: size.width, height: size.height)]
        case CursesTerminal.pasteStart: return [.paste(readPaste())]
        case CursesTerminal.pasteEnd: return []
        case CursesTerminal.ctrlLeftCode: return [.key(.ctrlLeft)]
        case CursesTerminal.ctrlRightCode: return [.key(.ctrlRight)]
        case KEY_MOUSE: return mouseEvent()
        case KEY_UP: return [.key(.up)]
        case KEY_DOWN: return [.key(.down)]
        case KEY_LEFT: return [.key(.left)]
        case KEY_RIGHT: return [.key(.right)]
        case KEY_HOME: return [.key(.home)]
        case KEY_END: return [.key(.end)]
        case KEY_PPAGE: return [.key(.pageUp)]
        case KEY_NPAGE: return [.key(.pageDown)]
        case KEY_BACKSPACE: return [.key(.backspace)]
        case KEY_DC: return [.key(.delete)]
        case KEY_BTAB: return [.key(.backTab)]
        case KEY_ENTER: return [.key(.enter)]
        default:
            let f0 = ccurses_key_f0()
            if code > f0 && code <= f0 + 12 { return [.key(.function(Int(code - f0)))] }
            return []
        }
    }

    private func mouseEvent() -> [TerminalInput] {
        var x: Int32 = 0, y: Int32 = 0
        let kinds: [Int32: MouseEvent.Kind] = [1: .click, 2: .doubleClick, 3: .wheelUp, 4: .wheelDown]
        guard let kind = kinds[ccurses_read_mouse(&x, &y)] else { return [] }
        return [.mouse(MouseEvent(kind, x: Int(x), y: Int(y)))]
    }

    private func character(_ c: UInt32) -> TerminalInput {
        switch c {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 8, 127: return .key(.backspace)
        case 27: return .key(.escape)
        case 1...26: return .key(.ctrl(Character(UnicodeScalar(UInt8(c) + 96))))
        default:
            guard let scalar = UnicodeScalar(c) else { return .key(.escape) }
            return .key(.char(Character(scalar)))
        }
    }

    /// ESC alone is Esc; ESC then b, f, <, > or Backspace within a moment is an Alt-key (the
    /// editor's word and text movement); ESC [ … is a sequence curses did not know, dropped
    /// rather than typed as text. Anything else after ESC is Esc followed by that key, so a
    /// fast typist (or a script) pressing Esc then q still quits.
    private func escape() -> [TerminalInput] {
        timeout(0)
        var c: UInt32 = 0
        let r = ccurses_get_wch(&c)
        if r == ERR { return [.key(.escape)] }
        if r == KEY_CODE_YES { return [.key(.escape)] + functionKey(Int32(bitPattern: c)) }
        if c == 91 || c == 79 { // '[' or 'O'
            var seq = ""
            while true {
                var d: UInt32 = 0
                guard ccurses_get_wch(&d) == OK, let s = UnicodeScalar(d) else { break }
                seq.unicodeScalars.append(s)
                if (0x40...0x7e).contains(d) { break }
            }
            if seq == "200~" { return [.paste(readPaste())] }
            if seq == "1;5D" { return [.key(.ctrlLeft)] }
            if seq == "1;5C" { return [.key(.ctrlRight)] }
            if seq.isEmpty { return [.key(.escape), character(c)] }
            return []
        }
        if c == 127 || c == 8 { return [.key(.alt("\u{7f}"))] }
        if let s = UnicodeScalar(c), "bf<>".unicodeScalars.contains(s) { return [.key(.alt(Character(s)))] }
        if c == 27 { return [.key(.escape)] + escape() }
        return [.key(.escape), character(c)]
    }

    /// Everything up to the end-of-paste marker, as text.
    private func readPaste() -> String {
        var text = String.UnicodeScalarView()
        timeout(200)
        var pendingEsc = false
        while true {
            var c: UInt32 = 0
            let r = ccurses_get_wch(&c)
            if r == ERR { break }
            if r == KEY_CODE_YES {
                if Int32(bitPattern: c) == CursesTerminal.pasteEnd { break }
                if Int32(bitPattern: c) == KEY_ENTER { text.append("\n") }
                continue
            }
            if pendingEsc {
                // ESC [ 2 0 1 ~ arriving as characters.
                pendingEsc = false
                if c == 91 {
                    var seq = ""
                    while let s = nextScalar(), seq.count < 8 {
                        seq.unicodeScalars.append(s)
                        if (0x40...0x7e).contains(s.value) { break }
                    }
                    if seq == "201~" { break }
                }
                continue
            }
            switch c {
            case 27: pendingEsc = true
            default: if let s = UnicodeScalar(c) { text.append(s) }
            }
        }
        // CR stays as it came, so CRLF becomes one line break, not two (handlePaste).
        return String(text)
    }

    private func nextScalar() -> UnicodeScalar? {
        var d: UInt32 = 0
        guard ccurses_get_wch(&d) == OK else { return nil }
        return UnicodeScalar(d)
    }

    // MARK: Suspending for $EDITOR

    func suspend() {
        writeRaw("\u{1b}[?2004l")
        def_prog_mode()
        endwin()
    }

    func resume() {
        reset_prog_mode()
        writeRaw("\u{1b}[?2004h")
        forceRepaint()
        refresh()
    }

    // MARK: Colours

    private func setUpColors() {
        let a = (bold: ccurses_a_bold(), underline: ccurses_a_underline(), reverse: ccurses_a_reverse(), dim: ccurses_a_dim())
        let color = theme.usesColor && has_colors()
        if color {
            start_color()
            use_default_colors()
        }
        let colors = color ? Int(ccurses_colors()) : 0
        for (i, role) in Role.allCases.enumerated() {
            let s = theme.style(role)
            var attr: UInt32 = 0
            if s.bold { attr |= a.bold }
            if s.underline { attr |= a.underline }
            if s.reverse { attr |= a.reverse }
            if s.dim { attr |= a.dim }
            if color {
                let (fg, bg) = s.colors(for: colors)
                init_pair(Int16(i + 1), Int16(fg), Int16(bg))
                attr |= UInt32(bitPattern: ccurses_color_pair(Int32(i + 1)))
            }
            attributes[role] = attr
        }
    }

    private func writeRaw(_ s: String) {
        var bytes = Array(s.utf8)
        _ = bytes.withUnsafeMutableBytes { Foundation.write(STDOUT_FILENO, $0.baseAddress, $0.count) }

    }

    // MARK: Signals

    /// Termination requests end the run loop like q (so a demo folder is removed and the
    /// terminal restored in order); crashes restore the terminal and die of the same signal.
    private func installSignalHandlers() {
        for sig in [SIGTERM, SIGHUP, SIGINT] {
            signal(sig) { ccurses_request_stop($0) }
        }
        for sig in [SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(sig, restoreTerminalAndDie)
        }
    }

    /// Whether `fd` reports a hang-up or an error (a closed or revoked terminal), without waiting.
    static func hungUp(_ fd: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) > 0 else { return false }
        return p.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// The signal that asked the app to stop, if one has arrived.
    static var stopRequested: Int32? {
        let sig = ccurses_stop_signal()
        return sig == 0 ? nil : sig
    }

    /// Whether the locale the user chose (LANG, LC_ALL, LC_CTYPE) writes UTF-8.
    private static func localeIsUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    // MARK: Checking TERM

    /// Why curses cannot run on `term`, before it tries (its own error is a bare "Error
    /// opening terminal"): unset, unknown to terminfo, or unable to address the cursor.
    static func unusableTerminal(_ term: String?) -> TerminalAppError? {
        guard let term, !term.isEmpty else { return .unusableTerminal(term: nil, known: false) }
        switch ccurses_check_term(term) {
        case 0: return nil
        case 1: return .unusableTerminal(term: term, known: true)
        default: return .unusableTerminal(term: term, known: false)
        }
    }
}

/// On a fatal signal: give the terminal back (paste mode off, curses ended), then die of
/// the same signal so the exit status says what happened.
private func restoreTerminalAndDie(_ sig: Int32) {
    let off: [UInt8] = Array("\u{1b}[?2004l".utf8)
    _ = off.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    endwin()
    signal(sig, SIG_DFL)
    raise(sig)
}
