import Foundation

// The bodies of the audit and restriction events (`Audit.swift`, `Restriction.swift`). Kept
// together so they can be declared in the event schema in one place.

/// Someone opened a person's record: who is the event's author, when its clock. No content.
/// Type `patient.viewed`.
public struct PatientViewed: Codable, Sendable, Hashable {
    public var patientId: UUID
    /// How: `ViewSurface`'s raw value ("app", "show", "export", "gp-summary"). Kept as text so
    /// a surface added by a newer version still reads.
    public var how: String
    public var date: Day
    public init(patientId: UUID, how: String, date: Day) {
        self.patientId = patientId; self.how = how; self.date = date
    }
}

/// A record kept but not used (UK GDPR Article 18). Type `patient.restricted`.
public struct PatientRestricted: Codable, Sendable, Hashable {
    public var patientId: UUID
    public var reason: String
    public var date: Day
    public init(patientId: UUID, reason: String, date: Day) {
        self.patientId = patientId; self.reason = reason; self.date = date
    }
}

/// The restriction lifted: the record is in use again. Type `patient.unrestricted`.
public struct PatientUnrestricted: Codable, Sendable, Hashable {
    public var patientId: UUID
    public var date: Day
    public init(patientId: UUID, date: Day) {
        self.patientId = patientId; self.date = date
    }
}
