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
    let theme = try ThemeLoader.load(name: options.themeName)
    let opened = try openApp(options)
    let store = opened.store
    var state = opened.state

    let terminal = CursesTerminal(theme: theme)
    terminal.start()
    defer {
        terminal.stop()
        store?.close()
    }
    let size = terminal.size
    state.width = size.width
    state.height = size.height

    let runner = EffectRunner(dataDirectory: options.dataDirectory, store: store, terminal: terminal)
    // A long sync draws its progress bar between batches.
    runner.syncProgress = { p in
        state.syncProgress = (p.phase == .sending ? "Sending" : "Receiving", p.done, p.total)
        terminal.draw(view(state))
    }
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
                queue.append(contentsOf: runner.run(effect))
            }
        }
        terminal.draw(view(state))
        if let start = keyArrived {
            frameLog?.record((clock() - start) * 1000)
            keyArrived = nil
        }
        let inputs = terminal.read(timeoutMs: 250)
        if !inputs.isEmpty { keyArrived = clock() }
        for input in inputs {
            switch input {
            case .key(let k): queue.append(.key(k))
            case .paste(let text): queue.append(.paste(text))
            case .resize(let w, let h): queue.append(.resize(width: w, height: h))
            }
        }
        let now = clock()
        if now - lastTick >= 0.5 || queue.isEmpty {
            lastTick = now
            queue.append(.tick(now: now, wall: wallClock()))
        }
    }
}

/// Opens the caseload (or the first-run form) and builds the app's initial state, exactly as
/// the terminal app starts; `caseload debug-first-frame` times this same path.
public func openApp(_ options: TerminalAppOptions) throws -> (store: CaseloadStore?, state: AppState) {
    let asOf = options.asOf ?? Day.today(now: Date(), timeZone: .current)
    var store: CaseloadStore?
    var state: AppState
    if DataDirectory.isInitialized(options.dataDirectory) {
        let s = try CaseloadStore.open(dataDirectory: options.dataDirectory)
        store = s
        state = AppState(caseload: s.state, workerId: s.workerId, asOf: asOf)
    } else {
        state = AppState.firstRun(asOf: asOf)
    }
    state.isDemo = options.isDemo
    state.sender = options.sender
    state.homeFolder = FileManager.default.homeDirectoryForCurrentUser.path
    if let store, let last = SyncRecord.load(store.dataDirectory).last {
        state.sync = SyncStatus(device: store.device, lastAt: last.at, pushedSeq: last.pushedSeq,
                                folder: last.target == FolderSync.target ? last.place : nil)
        state.sync?.viaPostgres = last.target == PostgresSync.target
    }
    if let warnings = store?.warnings, !warnings.isEmpty {
        state.status = StatusMessage(warnings.joined(separator: "; "), kind: .error)
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

    public var description: String {
        switch self {
        case .notATerminal: return "the terminal app needs a terminal; use the subcommands (caseload --help) in scripts"
        }
    }
}
