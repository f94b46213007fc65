import Foundation

/// A correction of a person's details, as typed: nil leaves a field as it is, an empty text
/// clears it (phone, address, GP practice, preferred name). Consent: true given, false withdrawn
/// (or refused); absent leaves it as recorded.
public struct DetailsInput: Sendable, Hashable {
    public var patientId: UUID
    public var name: String?
    public var preferredName: String?
    /// As typed: checked with `NHSNumber.parse`, spaces allowed.
    public var nhsNumber: String?
    public var dateOfBirth: Day?
    public var phone: String?
    public var address: String?
    public var gpPractice: String?
    public var worker: String?
    public var consent: [ConsentKind: Bool]
    /// The day the consent was given or withdrawn (today).
    public var date: Day

    public init(patientId: UUID, name: String? = nil, preferredName: String? = nil, nhsNumber: String? = nil, dateOfBirth: Day? = nil,
                phone: String? = nil, address: String? = nil, gpPractice: String? = nil, worker: String? = nil,
                consent: [ConsentKind: Bool] = [:], date: Day) {
        self.patientId = patientId; self.name = name; self.preferredName = preferredName; self.nhsNumber = nhsNumber
        self.dateOfBirth = dateOfBirth; self.phone = phone; self.address = address; self.gpPractice = gpPractice
        self.worker = worker; self.consent = consent; self.date = date
    }
}

/// What a correction writes, and which details it changes (for "Saved: phone, address").
public struct DetailsPlan: Sendable, Hashable {
    public var bodies: [EventBody]
    public var changed: [String]
}

extension RecordLimits {
    /// The oldest a date of birth may make someone: older is a typing slip (1894 for 1994).
    public static let maxAgeYears = 125

    /// What is wrong with a date of birth on `today`, or nil: not after today, not more than
    /// `maxAgeYears` before it. Every face (forms, `patient add`/`update`) checks with this.
    public static func dateOfBirthProblem(_ dob: Day, today: Day) -> String? {
        if dob > today { return "the date of birth \(dob) is after today (\(today))" }
        if dob.age(on: today) > maxAgeYears { return "the date of birth \(dob) makes them over \(maxAgeYears): check the year" }
        return nil
    }
}

extension Rules {
    /// Corrects a person's details and records consent given or withdrawn: one `patient.updated`
    /// with only what differs, and one `patient.consentRecorded` per consent that changes. Every
    /// change is an event, so the history (`patient history`, `H` in the app) shows what changed
    /// and when. The NHS number is checked and must not be another person's; the date of birth
    /// is range-checked; texts keep to the record limits. Nothing different is refused.
    public static func updateDetails(_ input: DetailsInput, state: CaseloadState, context: RuleContext) -> Result<DetailsPlan, Problems<FieldProblem>> {
        guard let p = state.patients[input.patientId] else {
            return .failure(Problems([FieldProblem("patient", "no such person on the caseload")]))
        }
        var problems: [FieldProblem] = []
        var u = PatientUpdated(patientId: p.id)
        var changed: [String] = []
        /// A text field: trimmed; only kept when it differs from what is recorded.
        func text(_ field: String, _ label: String, _ value: String?, _ current: String?) -> String? {
            guard let value else { return nil }
            let t = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if let problem = RecordLimits.textProblem(field: label, t, long: false) { problems.append(FieldProblem(field, problem)); return nil }
            guard t != (current ?? "") else { return nil }
            changed.append(label)
            return t
        }
        if let name = input.name, name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(FieldProblem("name", "the name is empty"))
        } else {
            u.name = text("name", "name", input.name, p.name)
        }
        u.preferredName = text("preferredName", "preferred name", input.preferredName, p.preferredName)
        u.phone = text("phone", "phone", input.phone, p.phone)
        u.address = text("address", "address", input.address, p.address)
        u.gpPractice = text("gpPractice", "GP practice", input.gpPractice, p.gpPractice)
        u.worker = text("worker", "worker", input.worker, p.worker)
        if u.worker == "" { problems.append(FieldProblem("worker", "a person always has a worker: name one")) }
        if let typed = input.nhsNumber?.trimmingCharacters(in: .whitespacesAndNewlines) {
            if typed.isEmpty {
                if p.nhsNumber != nil { problems.append(FieldProblem("nhsNumber", "an NHS number cannot be removed, only corrected")) }
            } else {
                switch NHSNumber.parse(typed) {
                case .failure(let problem): problems.append(FieldProblem("nhsNumber", "invalid NHS number '\(typed)': \(problem)"))
                case .success(let n) where n != p.nhsNumber:
                    if let other = state.patients.values.first(where: { $0.nhsNumber == n && $0.id != p.id }) {
                        problems.append(FieldProblem("nhsNumber", "NHS number \(n.formatted) is already \(other.name)'s (patient \(other.id.uuidString.prefix(8).lowercased()))"))
                    } else {
                        u.nhsNumber = n
                        changed.append("NHS number")
                    }
                case .success: break
                }
            }
        }
        if let dob = input.dateOfBirth, dob != p.dateOfBirth {
            if let problem = RecordLimits.dateOfBirthProblem(dob, today: context.asOf) { problems.append(FieldProblem("dateOfBirth", problem)) } else {
                u.dateOfBirth = dob
                changed.append("date of birth")
            }
        }
        if input.date > context.asOf { problems.append(FieldProblem("date", "the date \(input.date) is after today (\(context.asOf))")) }
        var bodies: [EventBody] = []
        if u != PatientUpdated(patientId: p.id) { bodies.append(.patientUpdated(u)) }
        for kind in ConsentKind.allCases {
            // The same answer on a later day is recorded too: consent confirmed again is dated anew.
            guard let given = input.consent[kind], p.consent[kind] != Consent(given: given, date: input.date) else { continue }
            bodies.append(.consentRecorded(ConsentRecorded(patientId: p.id, kind: kind, given: given, date: input.date)))
            changed.append("consent to \(kind.label) \(given ? "given" : "withdrawn")")
        }
        guard problems.isEmpty else { return .failure(Problems(problems)) }
        if bodies.isEmpty { return .failure(Problems([FieldProblem("patient", "nothing to change: every detail given is as recorded")])) }
        return .success(DetailsPlan(bodies: bodies, changed: changed))
    }
}

// MARK: - A new referral

/// A newly referred person as the referral form or `caseload patient add` describes them.
public struct ReferralInput: Sendable, Hashable {
    public var name: String
    public var preferredName: String?
    /// As typed: checked with `NHSNumber.parse`.
    public var nhsNumber: String?
    public var dateOfBirth: Day?
    public var phone: String?
    public var address: String?
    public var gpPractice: String?
    public var worker: String
    public var referral: Referral
    /// Consent asked at referral: true given, false refused; absent, not asked.
    public var consent: [ConsentKind: Bool]
    public var firstFollowup: Day?
    public var followupReason: String?

    public init(name: String, preferredName: String? = nil, nhsNumber: String? = nil, dateOfBirth: Day? = nil, phone: String? = nil,
                address: String? = nil, gpPractice: String? = nil, worker: String, referral: Referral, consent: [ConsentKind: Bool] = [:],
                firstFollowup: Day? = nil, followupReason: String? = nil) {
        self.name = name; self.preferredName = preferredName; self.nhsNumber = nhsNumber; self.dateOfBirth = dateOfBirth
        self.phone = phone; self.address = address; self.gpPractice = gpPractice; self.worker = worker; self.referral = referral
        self.consent = consent; self.firstFollowup = firstFollowup; self.followupReason = followupReason
    }
}

extension Rules {
    /// A new referral: the person, the consent asked (dated the referral day) and a first
    /// follow-up. The same checks as correcting details: the NHS number, not already on the
    /// caseload; the date of birth in range; the referral not dated after today.
    public static func refer(_ input: ReferralInput, state: CaseloadState, context: RuleContext,
                             patientId: UUID = UUID(), followupId: UUID = UUID()) -> Result<[EventBody], Problems<FieldProblem>> {
        var problems: [FieldProblem] = []
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { problems.append(FieldProblem("name", "the name is empty")) }
        func text(_ field: String, _ value: String?) -> String? {
            guard let t = value?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
            if let problem = RecordLimits.textProblem(field: field, t, long: false) { problems.append(FieldProblem(field, problem)) }
            return t
        }
        for (field, value) in [("name", name), ("worker", input.worker)] {
            if let problem = RecordLimits.textProblem(field: field, value, long: false) { problems.append(FieldProblem(field, problem)) }
        }
        var nhs: NHSNumber?
        if let typed = text("nhsNumber", input.nhsNumber) {
            switch NHSNumber.parse(typed) {
            case .failure(let problem): problems.append(FieldProblem("nhsNumber", "invalid NHS number '\(typed)': \(problem)"))
            case .success(let n):
                if let other = state.patients.values.first(where: { $0.nhsNumber == n }) {
                    let id = other.id.uuidString.prefix(8).lowercased()
                    // A case that has ended is referred again as a new episode of the same record.
                    let instead = other.status.isOpen ? "search for them instead" : "to refer them again, `caseload patient refer \(id)` (a new episode)"
                    problems.append(FieldProblem("nhsNumber", "NHS number \(n.formatted) is already on the caseload (\(other.status.label), patient \(id)); \(instead)"))
                }
                nhs = n
            }
        }
        if let dob = input.dateOfBirth, let problem = RecordLimits.dateOfBirthProblem(dob, today: context.asOf) {
            problems.append(FieldProblem("dateOfBirth", problem))
        }
        if input.referral.date > context.asOf {
            problems.append(FieldProblem("referralDate", "the referral date \(input.referral.date) is after today (\(context.asOf))"))
        }
        var referral = input.referral
        referral.referrer = text("referrer", referral.referrer)
        if let t = referral.text?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty {
            if let problem = RecordLimits.textProblem(field: "note", t, long: true) { problems.append(FieldProblem("referralNote", problem)) }
            referral.text = t
        } else {
            referral.text = nil
        }
        let preferred = text("preferredName", input.preferredName), phone = text("phone", input.phone)
        let address = text("address", input.address), gp = text("gpPractice", input.gpPractice)
        let reason = text("followupReason", input.followupReason)
        if let due = input.firstFollowup, !due.isStorable || due.ordinal - context.asOf.ordinal > RuleContext.maxDaysAhead {
            problems.append(FieldProblem("followup", "the first follow-up must be within \(RuleContext.maxDaysAhead) days of today, not \(due)"))
        }
        guard problems.isEmpty else { return .failure(Problems(problems)) }
        var bodies: [EventBody] = [.patientReferred(PatientReferred(
            patientId: patientId, name: name, preferredName: preferred, dateOfBirth: input.dateOfBirth, nhsNumber: nhs, phone: phone,
            address: address, gpPractice: gp, worker: input.worker, referral: referral))]
        for kind in ConsentKind.allCases {
            guard let given = input.consent[kind] else { continue }
            bodies.append(.consentRecorded(ConsentRecorded(patientId: patientId, kind: kind, given: given, date: context.asOf)))
        }
        if let due = input.firstFollowup {
            bodies.append(.followupScheduled(FollowupScheduled(followupId: followupId, patientId: patientId, due: due, reason: reason, worker: input.worker)))
        }
        return .success(bodies)
    }
}
