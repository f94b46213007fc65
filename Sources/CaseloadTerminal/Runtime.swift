import CaseloadConfig
import CaseloadTUI
import CaseloadCore
import CaseloadJournal
import CaseloadSync
import Foundation

/// Runs the terminal app until the person quits; returns the exit code. Errors that stop it
/// from starting at all (a theme that does not parse, a caseload locked by another window)
/// are thrown before the screen is touched, so they print as ordinary one-line errors.
public func runTerminalApp(_ options: TerminalAppOptions) throws -> Int32 {
    guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
        throw TerminalAppError.notATerminal
    }
    if let problem = CursesTerminal.unusableTerminal(ProcessInfo.processInfo.environment["TERM"]) { throw problem }
    let theme = try ThemeLoader.load(name: options.themeName)
    let opened = try openApp(options)
    let store = opened.store
    var state = opened.state

    let terminal = CursesTerminal(theme: theme, mouse: options.mouse)
    terminal.start()
    defer {
        terminal.stop()
        store?.close()
    }
    let size = terminal.size
    state.width = size.width
    state.height = size.height

    let runner = EffectRunner(dataDirectory: options.dataDirectory, store: store, terminal: terminal)
    // A long sync draws its progress bar between batches, and reads the keys pressed
    // meanwhile: Esc cancels it, the others are handled once it has finished.
    var cancelSync = false
    var keysDuringSync: [TerminalInput] = []
    let readKeysDuringSync = {
        for input in terminal.read(timeoutMs: 0) {
            if input == .key(.escape) { cancelSync = true } else { keysDuringSync.append(input) }
        }
    }
    runner.syncProgress = { p in
        state.syncProgress = (p.phase == .sending ? "Sending" : "Receiving", p.done, p.total)
        terminal.draw(view(state))
        readKeysDuringSync()
    }
    runner.syncWaiting = readKeysDuringSync
    runner.syncCancelled = { cancelSync }
    let clock = { ProcessInfo.processInfo.systemUptime }
    // CASELOAD_FRAME_TIMES=<file>: record keystroke-to-frame times (numbers only) for benchmarks.
    let frameLog = ProcessInfo.processInfo.environment["CASELOAD_FRAME_TIMES"].map(FrameTimes.init(path:))
    defer { frameLog?.write() }
    var keyArrived: Double?
    var lastTick = clock()
    // The only place the app reads the wall clock: each tick hands the reading to `update`.
    let wallClock = { WallClock(date: Date(), timeZone: .current) }
    var queue: [Msg] = [.tick(now: lastTick, wall: wallClock())]
    while true {
        // Handle everything queued (effects feed their results back in) before drawing.
        while !queue.isEmpty {
            let msg = queue.removeFirst()
            for effect in update(&state, msg) {
                if effect == .quit { return 0 }
                cancelSync = false
                queue.append(contentsOf: runner.run(effect))
                queue.append(contentsOf: keysDuringSync.map(message))
                keysDuringSync = []
            }
        }
        terminal.draw(view(state))
        if let start = keyArrived {
            frameLog?.record((clock() - start) * 1000)
            keyArrived = nil
        }
        let inputs = terminal.read(timeoutMs: 250)
        // SIGTERM, SIGHUP or SIGINT, or the terminal hung up without a SIGHUP reaching us (its
        // keys read as end of file): keep the draft, then leave the way q does, so the caller
        // restores the terminal and removes a demo folder.
        if let signal = CursesTerminal.stopRequested ?? (terminal.inputClosed ? SIGHUP : nil) {
            for effect in update(&state, .stop) where effect != .quit { _ = runner.run(effect) }
            return 128 + signal
        }
        if !inputs.isEmpty { keyArrived = clock() }
        queue.append(contentsOf: inputs.map(message))
        let now = clock()
        if now - lastTick >= 0.5 || queue.isEmpty {
            lastTick = now
            queue.append(.tick(now: now, wall: wallClock()))
        }
    }
}

/// The message for what the terminal read.
func message(_ input: TerminalInput) -> Msg {
    switch input {
    case .key(let k): return .key(k)
    case .paste(let text): return .paste(text)
    case .resize(let w, let h): return .resize(width: w, height: h)
    case .mouse(let event): return .mouse(event)
    }
}

/// Opens the caseload (or the first-run form) and builds the app's initial state, exactly as
/// the terminal app starts; `caseload-bench debug-first-frame` times this same path.
public func openApp(_ options: TerminalAppOptions) throws -> (store: CaseloadStore?, state: AppState) {
    let asOf = options.asOf ?? Day.today(now: Date(), timeZone: .current)
    var store: CaseloadStore?
    var state: AppState
    var recoveredNotes: [String] = []
    if DataDirectory.isInitialized(options.dataDirectory) {
        // The app always closes its store (`runTerminalApp`), so a cold open's snapshot can be
        // written while the list is already on the screen.
        let s = try CaseloadStore.open(dataDirectory: options.dataDirectory, codec: options.codec, snapshotInBackground: true)
        store = s
        recoveredNotes = EditorNoteFile.recover(into: s)
        state = AppState(caseload: s.state, workerId: s.workerId, asOf: asOf)
    } else {
        state = AppState.firstRun(asOf: asOf)
    }
    // New records' ids from the system's random source: `update` only draws from it.
    state.ids = .random()
    if store != nil, let view = ListViewFile.read(options.dataDirectory) { state.restore(view) }
    state.isDemo = options.isDemo
    if let store { state.serverRemembered = SyncRecord.load(store.dataDirectory).postgresURL != nil }
    state.sender = options.sender
    state.reviewAfterMissed = options.reviewAfterMissed
    state.responseDeadlineDays = options.responseDeadlineDays
    state.idleLockSeconds = options.idleLockSeconds
    // Unlocking asks for the passphrase only where there is one: the caseload is encrypted.
    state.needsPassphrase = EncryptedCaseload.isEncrypted(options.dataDirectory)
    state.homeFolder = FileManager.default.homeDirectoryForCurrentUser.path
    if let store, let last = SyncRecord.load(store.dataDirectory).last {
        state.sync = SyncStatus(device: store.device, lastAt: last.at, pushedSeq: last.pushedSeq,
                                folder: last.target == FolderSync.target ? last.place : nil)
        state.sync?.viaPostgres = last.target == PostgresSync.target
        state.sync?.notOnServer = SyncRecord.load(store.dataDirectory).notOnServer ?? [:]
    }
    if let warnings = store?.warnings, !warnings.isEmpty {
        state.status = StatusMessage(warnings.joined(separator: "; "), kind: .error)
    }
    if !recoveredNotes.isEmpty {
        let warnings = store?.warnings ?? []
        state.status = StatusMessage((warnings + recoveredNotes).joined(separator: "; "), kind: warnings.isEmpty ? .info : .error)
    }
    return (store, state)
}

/// The first frame the app would draw at `width`x`height`, into the in-memory grid (no
/// terminal): the opening tick is handled first, as the run loop does.
public func firstFrame(_ state: inout AppState, width: Int, height: Int, now: Double) -> Grid {
    state.width = width
    state.height = height
    _ = update(&state, .tick(now: now, wall: WallClock(date: Date(), timeZone: .current)))
    return view(state)
}

/// Why the app could not start.
public enum TerminalAppError: Error, CustomStringConvertible {
    case notATerminal
    /// TERM is unset, dumb, or names a terminal terminfo does not know.
    case unusableTerminal(term: String?, known: Bool)

    public var description: String {
        switch self {
        case .notATerminal: return "the terminal app needs a terminal; use the subcommands (caseload --help) in scripts"
        case let .unusableTerminal(term, known):
            let what = term.map { known ? "TERM=\($0) cannot move the cursor" : "TERM=\($0) is not a terminal this machine knows" } ?? "TERM is not set"
            return "\(what): run the app in a terminal emulator, or try TERM=xterm-256color caseload; the subcommands (caseload --help) work anywhere"
        }
    }
}
