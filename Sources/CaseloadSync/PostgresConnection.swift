import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What went wrong talking to PostgreSQL. Every message is one line, and none holds a password
/// or a row's contents (only libpq's primary message, never its DETAIL, which can quote a row).
public enum PostgresError: Error, Equatable, CustomStringConvertible {
    /// libpq could not be loaded.
    case libraryMissing(String)
    /// The URL is not a connection string libpq understands.
    case badURL(String)
    /// The URL holds a password, which would show in `ps` and be saved with the URL.
    case passwordInURL
    /// The connection failed (server down, unknown host, wrong password, TLS refused…).
    case connection(String)
    /// A statement failed; `sqlState` is PostgreSQL's five-character code.
    case query(sqlState: String?, message: String)
    /// The server sent nothing for this many seconds while we waited (frozen, or the network
    /// went away): the connection was dropped rather than waiting for ever.
    case timedOut(seconds: Int)

    public var description: String {
        switch self {
        case .libraryMissing(let why): return why
        case .badURL(let why): return "the server URL is not valid (\(why)); it looks like postgresql://USER@HOST/DATABASE?sslmode=require"
        case .passwordInURL:
            return "the server URL holds a password, which other users could see with `ps`; remove it and put it in ~/.pgpass, a file named by PGPASSFILE, or PGPASSWORD"
        case .connection(let why): return "cannot connect to the PostgreSQL server: \(why)"
        case let .query(_, message): return "the PostgreSQL server refused: \(message)"
        case .timedOut(let seconds):
            return "the PostgreSQL server did not answer for \(seconds) s (frozen, overloaded or unreachable); gave up. Nothing more was sent or received; run the sync again later"
        }
    }

    /// True for a lost connection, a server shutting down and the like (SQLSTATE class 08, 57P).
    public var isConnectionLoss: Bool {
        if case .connection = self { return true }
        if case .timedOut = self { return true }
        if case let .query(state, _) = self { return state == nil || state!.hasPrefix("08") || state!.hasPrefix("57P") }
        return false
    }

    /// libpq's messages can run over several lines ("connection to server … failed: FATAL: …").
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }
}

/// Where the team server is: a `postgresql://` URL or `key=value` string without a password,
/// or (no URL) whatever libpq's own `PGHOST`, `PGUSER`, `PGDATABASE`… variables say.
/// The password comes from `~/.pgpass`, `PGPASSFILE` or `PGPASSWORD`, read by libpq itself.
public struct ServerAddress: Sendable, Equatable, CustomStringConvertible {
    /// nil: libpq's environment variables.
    public let url: String?

    /// Checks the URL with libpq's own parser; refuses one that holds a password.
    public init(url: String?) throws {
        let trimmed = url?.trimmingCharacters(in: .whitespaces)
        guard let trimmed, !trimmed.isEmpty else { self.url = nil; return }
        let pq = try LibPQ.load()
        let options: [(keyword: String, value: String)]
        do { options = try pq.parseConninfo(trimmed) } catch PostgresError.badURL(let why) {
            throw PostgresError.badURL(ServerAddress.scrub(why, url: trimmed))
        }
        if options.contains(where: { $0.keyword == "password" && !$0.value.isEmpty }) { throw PostgresError.passwordInURL }
        self.url = trimmed
    }

    public var description: String { url ?? "the server named by PGHOST/PGDATABASE" }

    /// Removes from a message anything that could be a password: the user-info part of the URL
    /// and the value of PGPASSWORD.
    static func scrub(_ message: String, url: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        var text = message
        if let url, let scheme = url.range(of: "://") {
            let rest = url[scheme.upperBound...]
            if let at = rest.firstIndex(of: "@") {
                let userInfo = String(rest[..<at])
                if let colon = userInfo.firstIndex(of: ":") {
                    let secret = String(userInfo[userInfo.index(after: colon)...])
                    if !secret.isEmpty { text = text.replacingOccurrences(of: secret, with: "***") }
                }
            }
        }
        if let secret = environment["PGPASSWORD"], secret.count >= 1 { text = text.replacingOccurrences(of: secret, with: "***") }
        return text
    }
}

/// One connection to a PostgreSQL server through libpq. Statements always take their values as
/// parameters; only role names in DDL are spliced in, through `escapeIdentifier`.
public final class PostgresConnection {
    let pq: LibPQ
    private var conn: OpaquePointer?
    public let address: ServerAddress
    /// Whether the connection is encrypted (the URL's `sslmode` decides; libpq does TLS).
    public let usesTLS: Bool
    /// The database role we logged in as.
    public let user: String

    /// Seconds to wait for the server to connect (unless the URL says otherwise with
    /// `connect_timeout`) and, once connected, for any byte of an answer.
    public static let defaultTimeout = 30
    /// Once connected: the longest wait, in seconds, for the server to take or answer a
    /// statement. Waiting restarts whenever bytes move, so a long pull that keeps arriving is
    /// never cut off; a frozen server is.
    public let timeout: Int
    /// Asked about ten times a second while waiting for the server (the app reads keys then):
    /// true gives up the statement, closes the connection and throws `SyncError.cancelled`.
    public var whileWaiting: (() -> Bool)?

    public init(_ address: ServerAddress, timeout: Int = PostgresConnection.defaultTimeout) throws {
        let pq = try LibPQ.load()
        self.pq = pq
        self.address = address
        self.timeout = max(1, timeout)
        // Processed in order, later ones winning: our defaults, then the URL (expanded from
        // `dbname`), then what we insist on. Keepalives make the kernel notice a dead TCP peer.
        var pairs: [(String, String)] = [
            ("connect_timeout", "\(self.timeout)"),
            ("keepalives", "1"),
            ("keepalives_idle", "30"),
            ("keepalives_interval", "10"),
            ("keepalives_count", "3"),
            ("application_name", "caseload"),
            ("options", "-c client_min_messages=warning"),
        ]
        if let url = address.url { pairs.append(("dbname", url)) }
        pairs.append(("client_encoding", "UTF8"))
        let keywords = pairs.map { strdup($0.0) } + [nil]
        let values = pairs.map { strdup($0.1) } + [nil]
        defer { (keywords + values).forEach { free($0) } }
        let handle = keywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { k in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in
                pq.connectdbParams(k.baseAddress, v.baseAddress, 1)
            }
        }
        guard let handle else { throw PostgresError.connection("out of memory") }
        guard pq.status(handle) == LibPQ.connectionOK else {
            let why = pq.errorMessage(handle).map { String(cString: $0) } ?? "unknown error"
            pq.finish(handle)
            throw PostgresError.connection(ServerAddress.scrub(PostgresError.oneLine(why), url: address.url))
        }
        // Non-blocking, so sending a large batch to a server that stopped reading cannot hang.
        guard pq.setnonblocking(handle, 1) == 0 else {
            pq.finish(handle)
            throw PostgresError.connection("cannot switch the connection to non-blocking mode")
        }
        conn = handle
        usesTLS = pq.sslInUse(handle) != 0
        user = pq.user(handle).map { String(cString: $0) } ?? ""
    }

    deinit { close() }

    public func close() {
        if let conn { pq.finish(conn) }
        conn = nil
    }

    /// Runs one statement with text parameters (nil is SQL NULL). With `binary`, results come
    /// in PostgreSQL's binary format (bytea as raw bytes, bigint as 8 big-endian bytes).
    @discardableResult
    public func query(_ sql: String, _ params: [String?] = [], binary: Bool = false) throws -> PostgresResult {
        guard let conn else { throw PostgresError.connection("the connection was closed") }
        let copies = params.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let sent = copies.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
            pq.sendQueryParams(conn, sql, Int32(params.count), nil, values.baseAddress, nil, nil, binary ? 1 : 0)
        }
        guard sent == 1 else { throw PostgresError.query(sqlState: nil, message: lastError) }
        let result = try awaitResult(conn)
        guard let result else { throw PostgresError.query(sqlState: nil, message: lastError) }
        let status = pq.resultStatus(result)
        guard status == LibPQ.commandOK || status == LibPQ.tuplesOK else {
            let state = pq.resultErrorField(result, LibPQ.diagSQLState).map { String(cString: $0) }
            let primary = pq.resultErrorField(result, LibPQ.diagMessagePrimary).map { String(cString: $0) }
            pq.clear(result)
            let message = primary.map(PostgresError.oneLine) ?? lastError
            throw PostgresError.query(sqlState: state, message: ServerAddress.scrub(message, url: address.url))
        }
        return PostgresResult(pq: pq, result: result)
    }

    /// Sends what is queued and reads the answer, waiting at most `timeout` seconds each time
    /// for the socket to move. On a timeout or a lost connection the connection is closed (it
    /// is in an unknown state) and the error thrown. Returns the statement's first result.
    private func awaitResult(_ conn: OpaquePointer) throws -> OpaquePointer? {
        // Sending: PQflush returns 1 while some of the statement is still queued.
        while true {
            let flushed = pq.flush(conn)
            if flushed == 0 { break }
            if flushed < 0 { throw lost() }
            let ready = try wait(conn, for: Int16(POLLOUT | POLLIN))
            if ready & Int16(POLLIN) != 0, pq.consumeInput(conn) == 0 { throw lost() }
        }
        // Receiving: one statement gives one result, then a nil that says the server is ready
        // for the next; anything in between is cleared.
        var first: OpaquePointer?
        while true {
            while pq.isBusy(conn) != 0 {
                do {
                    _ = try wait(conn, for: Int16(POLLIN))
                    if pq.consumeInput(conn) == 0 { throw lost() }
                } catch {
                    if let first { pq.clear(first) }
                    throw error
                }
            }
            guard let next = pq.getResult(conn) else { return first }
            if first == nil { first = next } else { pq.clear(next) }
        }
    }

    /// poll(2) on the connection's socket; throws `timedOut` when nothing happens in time.
    private func wait(_ conn: OpaquePointer, for events: Int16) throws -> Int16 {
        let fd = pq.socket(conn)
        guard fd >= 0 else { throw lost() }
        var entry = pollfd(fd: fd, events: events, revents: 0)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout) * 1_000_000_000
        while true {
            let left = deadline > DispatchTime.now().uptimeNanoseconds ? deadline - DispatchTime.now().uptimeNanoseconds : 0
            let slice = whileWaiting == nil ? left / 1_000_000 + 1 : min(left / 1_000_000 + 1, 100)
            let n = poll(&entry, 1, Int32(min(slice, UInt64(Int32.max))))
            if n > 0 { return entry.revents }
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw lost() }
            if whileWaiting?() == true {
                // The server may still finish the statement; the next sync starts from what it holds.
                close()
                throw SyncError.cancelled
            }
            if DispatchTime.now().uptimeNanoseconds >= deadline {
                close()
                throw PostgresError.timedOut(seconds: timeout)
            }
        }
    }

    /// The connection broke mid-statement: close it (its state is unknown) and say why.
    private func lost() -> PostgresError {
        let why = lastError
        close()
        return PostgresError.query(sqlState: nil, message: why)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try query("BEGIN")
        do {
            let value = try body()
            try query("COMMIT")
            return value
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    /// `"name"` quoted for use as an identifier (a role name) in DDL.
    public func escapeIdentifier(_ name: String) throws -> String {
        try escaped(name, pq.escapeIdentifier)
    }

    /// `'text'` quoted as an SQL literal, for DDL that cannot take parameters.
    public func escapeLiteral(_ text: String) throws -> String {
        try escaped(text, pq.escapeLiteral)
    }

    /// The password as the server stores it (a SCRAM verifier), hashed here so the password
    /// itself never travels in an SQL statement or lands in a server log.
    public func encryptPassword(_ password: String, role: String) throws -> String {
        guard let conn, let out = pq.encryptPasswordConn(conn, password, role, nil) else {
            throw PostgresError.query(sqlState: nil, message: "could not hash the password: \(lastError)")
        }
        defer { pq.freemem(out) }
        return String(cString: out)
    }

    private func escaped(_ text: String, _ function: LibPQ.EscapeLiteralFn) throws -> String {
        guard let conn else { throw PostgresError.connection("the connection was closed") }
        let bytes = text.utf8.count
        guard let out = function(conn, text, bytes) else {
            throw PostgresError.query(sqlState: nil, message: lastError)
        }
        defer { pq.freemem(out) }
        return String(cString: out)
    }

    private var lastError: String {
        let text = conn.flatMap { pq.errorMessage($0) }.map { String(cString: $0) } ?? ""
        let line = PostgresError.oneLine(text)
        return line.isEmpty ? "the connection to the server was lost" : ServerAddress.scrub(line, url: address.url)
    }
}

/// Rows a statement returned. Values are read by row and column index.
public final class PostgresResult {
    let pq: LibPQ
    let result: OpaquePointer

    init(pq: LibPQ, result: OpaquePointer) {
        self.pq = pq
        self.result = result
    }

    deinit { pq.clear(result) }

    public var count: Int { Int(pq.ntuples(result)) }

    public func isNull(_ row: Int, _ column: Int) -> Bool { pq.getisnull(result, Int32(row), Int32(column)) != 0 }

    /// A value in text format.
    public func string(_ row: Int, _ column: Int) -> String? {
        if isNull(row, column) { return nil }
        return pq.getvalue(result, Int32(row), Int32(column)).map { String(cString: $0) }
    }

    /// The raw bytes of a value (a bytea in binary format).
    public func data(_ row: Int, _ column: Int) -> Data? {
        if isNull(row, column) { return nil }
        guard let p = pq.getvalue(result, Int32(row), Int32(column)) else { return nil }
        return Data(bytes: p, count: Int(pq.getlength(result, Int32(row), Int32(column))))
    }

    /// A bigint, int or smallint in binary format (big-endian).
    public func binaryInteger(_ row: Int, _ column: Int) -> Int64? {
        if isNull(row, column) { return nil }
        guard let p = pq.getvalue(result, Int32(row), Int32(column)) else { return nil }
        let length = Int(pq.getlength(result, Int32(row), Int32(column)))
        guard [2, 4, 8].contains(length) else { return nil }
        var value: Int64 = 0
        let raw = UnsafeRawPointer(p)
        for i in 0..<length { value = value << 8 | Int64(raw.load(fromByteOffset: i, as: UInt8.self)) }
        // Sign-extend the shorter widths.
        let shift = Int64(64 - 8 * length)
        return (value << shift) >> shift
    }
}
