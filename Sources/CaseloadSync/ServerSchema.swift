import Foundation
import CaseloadCore

/// Caseload's tables on a team's PostgreSQL server, created and upgraded by numbered
/// migrations recorded in `caseload.schema_migrations`:
///
///     caseload.workers   one row per login role: the worker id it speaks for, team, supervisor
///     caseload.devices   which worker a device belongs to (registered by its first sync)
///     caseload.events    every event pushed, keyed (device, seq); `payload` holds the journal
///                        record's exact bytes, the other columns are copies for queries and policies
///     caseload.person_keys  each device's copy of the person keys, sealed under the team key
///                        (`PersonKeyExchange`): a team member may rewrite a teammate's copy, to
///                        remove an erased person's key from it
///
/// Row-level security (enabled and forced): a login role reads only its own team's rows, and
/// inserts only events it authored, for its team, from a device registered to it. Nobody but the
/// admin (the role that ran `server init`) may update or delete anything, except a team's person-key copies.
public enum ServerSchema {
    public struct Migration: Sendable {
        public let version: Int
        public let description: String
        public let statements: [String]
    }

    /// Group roles every login role is granted one of (roles are shared by the whole cluster).
    public static let workerGroup = "caseload_worker"
    public static let supervisorGroup = "caseload_supervisor"

    /// The schema version this client understands.
    public static var latest: Int { migrations.last?.version ?? 0 }

    /// The logged-in role's own row in caseload.workers, as a scalar subquery for policies.
    /// Uncorrelated, so PostgreSQL runs it once per statement, not once per row.
    static func mine(_ column: String) -> String {
        "(SELECT w.\(column) FROM caseload.workers w WHERE w.role = current_user)"
    }

    public static let migrations: [Migration] = [
        Migration(version: 1, description: "events, devices, workers; roles and row-level security", statements: [
            """
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '\(workerGroup)') THEN
                CREATE ROLE \(workerGroup) NOLOGIN;
              END IF;
              IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '\(supervisorGroup)') THEN
                CREATE ROLE \(supervisorGroup) NOLOGIN;
              END IF;
            END $$
            """,
            """
            CREATE TABLE caseload.workers (
              role name PRIMARY KEY,
              worker_id text NOT NULL UNIQUE,
              team text NOT NULL,
              supervisor boolean NOT NULL DEFAULT false)
            """,
            """
            CREATE TABLE caseload.devices (
              device uuid PRIMARY KEY,
              worker_id text NOT NULL,
              team text NOT NULL,
              registered_at timestamptz NOT NULL DEFAULT now())
            """,
            // The columns must say what the payload says, whoever inserts: a row cannot claim one
            // author while its bytes (what devices fold) name another. PostgreSQL cannot turn a
            // \u0000 escape (a NUL typed in a note) into text, so it is read as a space here;
            // only the top-level fields are compared, and the stored bytes stay as they are.
            """
            CREATE FUNCTION caseload.payload_matches(payload bytea, device uuid, seq bigint, id uuid,
                                                     clock_ms bigint, clock_counter int, author text, type text)
            RETURNS boolean LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
            DECLARE j jsonb := replace(convert_from(payload, 'UTF8'), '\\u0000', '\\u0020')::jsonb;
            BEGIN
              RETURN (j->>'device')::uuid = device AND (j->>'seq')::bigint = seq AND (j->>'id')::uuid = id
                 AND j->>'clock' = clock_ms || '.' || clock_counter
                 AND j->>'author' = author AND j->>'type' = type;
            END $$
            """,
            """
            CREATE TABLE caseload.events (
              device uuid NOT NULL,
              seq bigint NOT NULL CHECK (seq > 0),
              id uuid NOT NULL UNIQUE,
              clock_ms bigint NOT NULL,
              clock_counter int NOT NULL,
              author text NOT NULL,
              team text NOT NULL,
              type text NOT NULL,
              payload bytea NOT NULL,
              received_at timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (device, seq),
              CONSTRAINT payload_matches CHECK (caseload.payload_matches(payload, device, seq, id, clock_ms, clock_counter, author, type)))
            """,
            "REVOKE ALL ON SCHEMA caseload FROM PUBLIC",
            "GRANT USAGE ON SCHEMA caseload TO \(workerGroup), \(supervisorGroup)",
            "GRANT SELECT ON caseload.schema_migrations, caseload.workers TO \(workerGroup), \(supervisorGroup)",
            "GRANT SELECT, INSERT ON caseload.events, caseload.devices TO \(workerGroup), \(supervisorGroup)",
            "ALTER TABLE caseload.workers ENABLE ROW LEVEL SECURITY",
            "ALTER TABLE caseload.workers FORCE ROW LEVEL SECURITY",
            "ALTER TABLE caseload.devices ENABLE ROW LEVEL SECURITY",
            "ALTER TABLE caseload.devices FORCE ROW LEVEL SECURITY",
            "ALTER TABLE caseload.events ENABLE ROW LEVEL SECURITY",
            "ALTER TABLE caseload.events FORCE ROW LEVEL SECURITY",
            // The admin who ran init owns the tables; FORCE would lock them out too without this.
            "CREATE POLICY admin_all ON caseload.workers TO CURRENT_USER USING (true) WITH CHECK (true)",
            "CREATE POLICY admin_all ON caseload.devices TO CURRENT_USER USING (true) WITH CHECK (true)",
            "CREATE POLICY admin_all ON caseload.events TO CURRENT_USER USING (true) WITH CHECK (true)",
            """
            CREATE POLICY read_own_row ON caseload.workers FOR SELECT TO \(workerGroup), \(supervisorGroup)
              USING (role = current_user)
            """,
            """
            CREATE POLICY read_own_team ON caseload.devices FOR SELECT TO \(workerGroup), \(supervisorGroup)
              USING (team = \(mine("team")))
            """,
            """
            CREATE POLICY register_own ON caseload.devices FOR INSERT TO \(workerGroup), \(supervisorGroup)
              WITH CHECK (team = \(mine("team")) AND worker_id = \(mine("worker_id")))
            """,
            """
            CREATE POLICY read_own_team ON caseload.events FOR SELECT TO \(workerGroup), \(supervisorGroup)
              USING (team = \(mine("team")))
            """,
            """
            CREATE POLICY insert_own ON caseload.events FOR INSERT TO \(workerGroup), \(supervisorGroup)
              WITH CHECK (team = \(mine("team")) AND author = \(mine("worker_id"))
                          AND EXISTS (SELECT 1 FROM caseload.devices d
                                      WHERE d.device = events.device AND d.worker_id = events.author))
            """,
        ]),
        Migration(version: 2, description: "refuse duplicate keys, registrations of someone else, poisoned clock counters", statements: [
            // jsonb keeps the last of two equal keys and Caseload's reader the first: with a key
            // twice, the columns checked here and the author every device reads could differ.
            // json (unlike jsonb) keeps every key, so a count that differs means a key is twice:
            // checked at the top level and in the body (which holds the workerId checked below).
            """
            CREATE OR REPLACE FUNCTION caseload.payload_matches(payload bytea, device uuid, seq bigint, id uuid,
                                                                clock_ms bigint, clock_counter int, author text, type text)
            RETURNS boolean LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
            DECLARE t text := replace(convert_from(payload, 'UTF8'), '\\u0000', '\\u0020');
                    j jsonb := t::jsonb;
            BEGIN
              RETURN (SELECT count(*) FROM json_object_keys(t::json)) = (SELECT count(*) FROM jsonb_object_keys(j))
                 AND jsonb_typeof(j->'body') = 'object'
                 AND (SELECT count(*) FROM json_object_keys(t::json->'body')) = (SELECT count(*) FROM jsonb_object_keys(j->'body'))
                 AND (j->>'device')::uuid = device AND (j->>'seq')::bigint = seq AND (j->>'id')::uuid = id
                 AND j->>'clock' = clock_ms || '.' || clock_counter
                 AND j->>'author' = author AND j->>'type' = type;
            END $$
            """,
            // Existing rows are left as they are (NOT VALID); devices skip a poisoned one on pull.
            """
            ALTER TABLE caseload.events ADD CONSTRAINT clock_counter_bounded
              CHECK (clock_counter BETWEEN 0 AND \(ClockBounds.serverMaxCounter)) NOT VALID
            """,
            // Which worker a worker.registered event registers (or changes).
            """
            CREATE FUNCTION caseload.registered_worker(payload bytea) RETURNS text
            LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
              SELECT (replace(convert_from(payload, 'UTF8'), '\\u0000', '\\u0020')::jsonb)->'body'->>'workerId'
            $$
            """,
            // Whether a registration of someone else leaves what the server knows of them as it
            // is: a worker with no login here (a former colleague in an imported caseload), or
            // one named with their own team (or none) and no role. Reads caseload.workers as its
            // owner, since a worker may read only their own row there.
            """
            CREATE FUNCTION caseload.keeps_server_record(payload bytea) RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
              SELECT NOT EXISTS (SELECT 1 FROM caseload.workers w WHERE w.worker_id = b->>'workerId')
                  OR (b->>'role' IS NULL AND (b->>'team' IS NULL
                      OR b->>'team' = (SELECT w.team FROM caseload.workers w WHERE w.worker_id = b->>'workerId')))
              FROM (SELECT (replace(convert_from(payload, 'UTF8'), '\\u0000', '\\u0020')::jsonb)->'body' AS b) AS s
            $$
            """,
            "REVOKE ALL ON FUNCTION caseload.keeps_server_record(bytea) FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION caseload.keeps_server_record(bytea) TO \(workerGroup), \(supervisorGroup)",
            // What a device could not send (events by someone else in its journal): reported by
            // the device, a row per change, read by its team for the team view.
            """
            CREATE TABLE caseload.unsent (
              device uuid NOT NULL,
              worker_id text NOT NULL,
              team text NOT NULL,
              events int NOT NULL CHECK (events >= 0),
              reported_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX unsent_by_device ON caseload.unsent (device, reported_at DESC)",
            "GRANT SELECT, INSERT ON caseload.unsent TO \(workerGroup), \(supervisorGroup)",
            "ALTER TABLE caseload.unsent ENABLE ROW LEVEL SECURITY",
            "ALTER TABLE caseload.unsent FORCE ROW LEVEL SECURITY",
            "CREATE POLICY admin_all ON caseload.unsent TO CURRENT_USER USING (true) WITH CHECK (true)",
            """
            CREATE POLICY read_own_team ON caseload.unsent FOR SELECT TO \(workerGroup), \(supervisorGroup)
              USING (team = \(mine("team")))
            """,
            """
            CREATE POLICY report_own ON caseload.unsent FOR INSERT TO \(workerGroup), \(supervisorGroup)
              WITH CHECK (team = \(mine("team")) AND worker_id = \(mine("worker_id"))
                          AND EXISTS (SELECT 1 FROM caseload.devices d WHERE d.device = unsent.device AND d.worker_id = unsent.worker_id))
            """,
            // Restrictive: on top of insert_own. Only the worker themself or a supervisor may
            // change a worker's team or role; others may only name a colleague (an import does).
            // Every device's fold then ignores a change to a known worker from anyone else.
            """
            CREATE POLICY register_only_self ON caseload.events AS RESTRICTIVE FOR INSERT TO \(workerGroup), \(supervisorGroup)
              WITH CHECK (type <> 'worker.registered' OR caseload.registered_worker(payload) = author
                          OR coalesce(\(mine("supervisor")), false) OR caseload.keeps_server_record(payload))
            """,
        ]),
        Migration(version: 3, description: "person keys: each device's sealed copy, for erasure", statements: [
            // Sealed under the team key (base64): the server cannot read a key. A team member may
            // rewrite a teammate's copy: erasing a person removes their key from every copy.
            """
            CREATE TABLE caseload.person_keys (
              device uuid PRIMARY KEY,
              worker_id text NOT NULL,
              team text NOT NULL,
              sealed text NOT NULL CHECK (length(sealed) <= 90000000),
              updated_at timestamptz NOT NULL DEFAULT now())
            """,
            "GRANT SELECT, INSERT, UPDATE ON caseload.person_keys TO \(workerGroup), \(supervisorGroup)",
            "ALTER TABLE caseload.person_keys ENABLE ROW LEVEL SECURITY",
            "ALTER TABLE caseload.person_keys FORCE ROW LEVEL SECURITY",
            "CREATE POLICY admin_all ON caseload.person_keys TO CURRENT_USER USING (true) WITH CHECK (true)",
            """
            CREATE POLICY read_own_team ON caseload.person_keys FOR SELECT TO \(workerGroup), \(supervisorGroup)
              USING (team = \(mine("team")))
            """,
            """
            CREATE POLICY insert_own ON caseload.person_keys FOR INSERT TO \(workerGroup), \(supervisorGroup)
              WITH CHECK (team = \(mine("team")) AND worker_id = \(mine("worker_id"))
                          AND EXISTS (SELECT 1 FROM caseload.devices d WHERE d.device = person_keys.device AND d.worker_id = person_keys.worker_id))
            """,
            """
            CREATE POLICY rewrite_team ON caseload.person_keys FOR UPDATE TO \(workerGroup), \(supervisorGroup)
              USING (team = \(mine("team"))) WITH CHECK (team = \(mine("team")))
            """,
        ]),
    ]

    /// Creates or upgrades the schema (one transaction, serialised by an advisory lock so two
    /// admins running init at once cannot interleave). Returns the versions applied: none when
    /// the server is already up to date.
    @discardableResult
    public static func migrate(_ db: PostgresConnection) throws -> [Int] {
        try db.transaction {
            try db.query("SELECT pg_advisory_xact_lock(hashtext('caseload.schema_migrations'))")
            let encoding = try db.query("SELECT pg_encoding_to_char(encoding) FROM pg_catalog.pg_database WHERE datname = current_database()")
            guard encoding.string(0, 0) == "UTF8" else { throw ServerError.notUTF8(encoding.string(0, 0) ?? "unknown") }
            try db.query("CREATE SCHEMA IF NOT EXISTS caseload")
            try db.query("""
                CREATE TABLE IF NOT EXISTS caseload.schema_migrations (
                  version int PRIMARY KEY,
                  description text NOT NULL,
                  applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let current = try version(db)
            guard current <= latest else { throw ServerError.schemaTooNew(server: current, known: latest) }
            var applied: [Int] = []
            for m in migrations where m.version > current {
                for statement in m.statements { try db.query(statement) }
                try db.query("INSERT INTO caseload.schema_migrations (version, description) VALUES ($1, $2)", ["\(m.version)", m.description])
                applied.append(m.version)
            }
            return applied
        }
    }

    /// The server's schema version; 0 when init has not run.
    public static func version(_ db: PostgresConnection) throws -> Int {
        let r = try db.query("SELECT to_regclass('caseload.schema_migrations') IS NOT NULL")
        guard r.string(0, 0) == "t" else { return 0 }
        return Int(try db.query("SELECT coalesce(max(version), 0) FROM caseload.schema_migrations").string(0, 0) ?? "0") ?? 0
    }

    /// For sync: the schema must be there and exactly what this client knows.
    public static func check(_ db: PostgresConnection) throws {
        let server: Int
        do { server = try version(db) } catch PostgresError.query(let state, _) where state == "42501" {
            throw ServerError.notAWorker(role: db.user)
        }
        if server == 0 { throw ServerError.notInitialized }
        if server > latest { throw ServerError.schemaTooNew(server: server, known: latest) }
        if server < latest { throw ServerError.schemaTooOld(server: server, known: latest) }
    }
}

/// Caseload's own reasons to refuse, on top of PostgreSQL's. One line each; never a password.
public enum ServerError: Error, Equatable, CustomStringConvertible {
    case notUTF8(String)
    case notInitialized
    case schemaTooNew(server: Int, known: Int)
    case schemaTooOld(server: Int, known: Int)
    case notAWorker(role: String)
    case workerMismatch(local: String, server: String, role: String)
    case roleExists(String)
    case badPassword(String)
    case deviceTaken
    case refused(String)

    public var description: String {
        switch self {
        case .notUTF8(let e): return "the database uses the \(e) encoding; caseload needs a UTF8 database (CREATE DATABASE … ENCODING 'UTF8')"
        case .notInitialized: return "the server has no caseload tables yet; the team admin runs `caseload server init --url URL` first"
        case let .schemaTooNew(s, k):
            return "the server's caseload schema is version \(s), newer than this caseload knows (\(k)); update caseload. Nothing was changed"
        case let .schemaTooOld(s, k):
            return "the server's caseload schema is version \(s) and this caseload needs \(k); the team admin runs `caseload server init` again. Nothing was changed"
        case .notAWorker(let role):
            return "the database role '\(role)' is not a caseload worker on this server; the team admin runs `caseload server add-worker`"
        case let .workerMismatch(local, server, role):
            return "this caseload belongs to worker '\(local)' but the database role '\(role)' is worker '\(server)'; log in as your own role. Nothing was changed"
        case .roleExists(let role): return "a database role named '\(role)' already exists; nothing was changed"
        case .badPassword(let why): return why
        case .deviceTaken: return "this device's id is registered to another worker on the server; nothing was sent"
        case .refused(let why): return why
        }
    }
}
