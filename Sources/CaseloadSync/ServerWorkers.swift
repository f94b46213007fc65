import Foundation
import CaseloadJournal

/// The team admin's side: login roles for workers, and who the logged-in role is.
public enum ServerWorkers {
    /// A worker as the server knows them.
    public struct Worker: Sendable, Equatable {
        public var role: String
        public var workerId: String
        public var team: String
        public var supervisor: Bool
    }

    /// Creates a login role for a worker and their `caseload.workers` row, in one transaction.
    /// The role is named after the worker id `caseload init --worker NAME` gives on a device
    /// (`DataDirectory.workerSlug`), so the server and the devices agree on who is who. Only a
    /// SCRAM verifier of the password goes to the server.
    @discardableResult
    public static func add(_ db: PostgresConnection, name: String, team: String, supervisor: Bool, password: String) throws -> Worker {
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let trimmedTeam = team.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmedName.isEmpty else { throw ServerError.refused("the worker's name is empty") }
        guard !trimmedTeam.isEmpty else { throw ServerError.refused("the team is empty") }
        guard password.count >= 8 else { throw ServerError.badPassword("the password is shorter than 8 characters; nothing was changed") }
        guard !password.contains(where: \.isNewline) else { throw ServerError.badPassword("the password holds a line break; nothing was changed") }
        try ServerSchema.check(db)
        let workerId = DataDirectory.workerSlug(trimmedName)
        let worker = Worker(role: workerId, workerId: workerId, team: trimmedTeam, supervisor: supervisor)
        let role = try db.escapeIdentifier(worker.role)
        let verifier = try db.escapeLiteral(try db.encryptPassword(password, role: worker.role))
        try db.transaction {
            if try db.query("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", [worker.role]).count > 0 {
                throw ServerError.roleExists(worker.role)
            }
            try db.query("CREATE ROLE \(role) LOGIN PASSWORD \(verifier)")
            try db.query("GRANT \(supervisor ? ServerSchema.supervisorGroup : ServerSchema.workerGroup) TO \(role)")
            try db.query("INSERT INTO caseload.workers (role, worker_id, team, supervisor) VALUES ($1, $2, $3, $4)",
                         [worker.role, worker.workerId, worker.team, supervisor ? "true" : "false"])
        }
        return worker
    }

    /// The row of the role we are logged in as, or nil when it is not a caseload worker.
    public static func me(_ db: PostgresConnection) throws -> Worker? {
        let r = try db.query("SELECT role, worker_id, team, supervisor FROM caseload.workers WHERE role = current_user")
        guard r.count == 1 else { return nil }
        return Worker(role: r.string(0, 0) ?? "", workerId: r.string(0, 1) ?? "", team: r.string(0, 2) ?? "", supervisor: r.string(0, 3) == "t")
    }

    /// A random password for a new role: 24 characters from an alphabet without look-alikes.
    public static func generatePassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet[Int(rng.next(upperBound: UInt64(alphabet.count)))] })
    }
}
