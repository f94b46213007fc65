import Foundation

/// A problem with one field of what a person asked for, named so the app can put it beside
/// the field and the command line can say which option was wrong.
public struct FieldProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(_ field: String, _ message: String) { self.field = field; self.message = message }
    public var description: String { message }
}

/// What a rule needs to know beyond the caseload: the day it is, and the settings.
public struct RuleContext: Sendable, Hashable {
    public var asOf: Day
    /// Missed contacts in a row after which a person is flagged for review (config
    /// `missed_contacts_for_review`).
    public var reviewAfterMissed: Int
    public static let defaultReviewAfterMissed = 3
    /// Days from today the next follow-up after a missed contact is offered for.
    public static let defaultNextAfterMissedDays = 2
    /// Ten years: further than any follow-up is planned, far inside the dates a journal holds.
    public static let maxDaysAhead = 3650

    /// The worker id of who acts, for the rules that depend on who may do something
    /// (restricting a record); nil in tests and tools that act as no one in particular.
    public var actor: String?

    public init(asOf: Day, reviewAfterMissed: Int = RuleContext.defaultReviewAfterMissed, actor: String? = nil) {
        self.asOf = asOf; self.reviewAfterMissed = max(1, reviewAfterMissed); self.actor = actor
    }
}

/// The rules of the user actions that change several things at once. The app and the command
/// line both call these, so a contact or a discharge does the same whichever face records it.
public enum Rules {}

// MARK: - Recording a contact

/// A contact (session) as the person recording it described it.
public struct ContactInput: Sendable, Hashable {
    public var patientId: UUID
    public var date: Day
    public var method: ContactMethod
    public var outcome: ContactOutcome
    public var minutes: Int?
    public var note: String
    /// The note editor's draft the session replaces.
    public var draftId: UUID?
    /// Attended: complete the follow-ups due or overdue (the CLI's default; `--keep-followup` and
    /// the app's "no" turn it off).
    public var completeDueFollowups: Bool
    /// Book (or, after a missed contact, move the due follow-up to) this many days from today.
    public var nextInDays: Int?

    public init(patientId: UUID, date: Day, method: ContactMethod, outcome: ContactOutcome = .attended, minutes: Int? = nil,
                note: String = "", draftId: UUID? = nil, completeDueFollowups: Bool = true, nextInDays: Int? = nil) {
        self.patientId = patientId; self.date = date; self.method = method; self.outcome = outcome; self.minutes = minutes
        self.note = note; self.draftId = draftId; self.completeDueFollowups = completeDueFollowups; self.nextInDays = nextInDays
    }
}

/// What recording a contact writes, and what the faces tell the person about it.
public struct ContactPlan: Sendable, Hashable {
    public var sessionId: UUID
    public var bodies: [EventBody]
    /// Follow-ups the attended contact completes.
    public var completed: [UUID] = []
    /// Due follow-ups moved on after a missed contact.
    public var moved: [UUID] = []
    /// A follow-up booked with this contact, and when it is due.
    public var booked: UUID?
    public var nextDue: Day?
    /// After a missed contact with nothing booked: the next follow-up to offer.
    public var suggestedNext: Day?
    /// After a missed contact with nothing due: the follow-up already booked for later (so no
    /// next try is offered on top of it).
    public var alreadyBooked: Day?
    /// The status the person moves to ("referred" becomes "contacted" on an attended contact).
    public var newStatus: PatientStatus?
    /// Missed contacts in a row once this one is recorded (0 after an attended one).
    public var missedInARow = 0
    /// This contact makes the run of missed contacts reach the review threshold.
    public var flaggedForReview = false
}

extension Rules {
    /// One contact: its session, and what it means for the person's follow-ups and status. A
    /// missed contact never closes the case or a follow-up; an attended one completes the
    /// follow-ups due by today and moves a new referral to "contacted".
    public static func recordContact(_ input: ContactInput, state: CaseloadState, context: RuleContext,
                                     sessionId: UUID = UUID(), followupId: UUID = UUID()) -> Result<ContactPlan, Problems<FieldProblem>> {
        var problems: [FieldProblem] = []
        guard let patient = state.patients[input.patientId] else {
            return .failure(Problems([FieldProblem("patient", "no such person on the caseload")]))
        }
        if input.date > context.asOf {
            problems.append(FieldProblem("date", "the contact date \(input.date) is after today (\(context.asOf)): record a contact once it has happened"))
        }
        if let m = input.minutes, !(0...1440).contains(m) {
            problems.append(FieldProblem("minutes", "minutes must be between 0 and 1440, not \(m)"))
        }
        if let p = RecordLimits.textProblem(field: "note", input.note, long: true) { problems.append(FieldProblem("note", p)) }
        var nextDue: Day?
        if let n = input.nextInDays {
            if (0...RuleContext.maxDaysAhead).contains(n), let d = context.asOf.checkedAdding(days: n) { nextDue = d } else {
                problems.append(FieldProblem("nextInDays", "the next follow-up must be 0 to \(RuleContext.maxDaysAhead) days from today, not \(n)"))
            }
        }
        guard problems.isEmpty else { return .failure(Problems(problems)) }

        var plan = ContactPlan(sessionId: sessionId, bodies: [.sessionRecorded(SessionRecorded(
            sessionId: sessionId, patientId: patient.id, date: input.date, kind: input.method, minutes: input.minutes, note: input.note,
            draftId: input.draftId, outcome: input.outcome == .attended ? nil : input.outcome))])
        let due = state.dueFollowups(of: patient.id, asOf: context.asOf)
        if input.outcome.isMissed {
            let before = state.missedInARow(of: patient.id)
            plan.missedInARow = before + 1
            plan.flaggedForReview = before < context.reviewAfterMissed && plan.missedInARow >= context.reviewAfterMissed
            if let nextDue, !due.isEmpty {
                for f in due {
                    plan.bodies.append(.followupRescheduled(FollowupRescheduled(followupId: f.id, due: nextDue, reason: input.outcome.label,
                                                                                date: context.asOf, resolvesConflict: f.conflict != nil ? true : nil)))
                    plan.moved.append(f.id)
                }
                plan.nextDue = nextDue
            } else if let nextDue {
                plan.bodies.append(book(followupId, patient, nextDue, reason: "next try after \(input.outcome.label)"))
                plan.booked = followupId
                plan.nextDue = nextDue
            } else if due.isEmpty, let later = state.nextFollowup(of: patient.id) {
                plan.alreadyBooked = later.due
            } else {
                plan.suggestedNext = context.asOf.adding(days: RuleContext.defaultNextAfterMissedDays)
            }
            return .success(plan)
        }
        if input.completeDueFollowups {
            for f in due {
                plan.bodies.append(.followupCompleted(FollowupCompleted(followupId: f.id, date: context.asOf, reschedulesSeen: f.reschedules.count)))
                plan.completed.append(f.id)
            }
        }
        if [.referred, .didNotAttend].contains(patient.status) {
            plan.bodies.append(.patientStatusChanged(PatientStatusChanged(patientId: patient.id, status: .contacted, date: input.date)))
            plan.newStatus = .contacted
        }
        if let nextDue {
            plan.bodies.append(book(followupId, patient, nextDue, reason: nil))
            plan.booked = followupId
            plan.nextDue = nextDue
        }
        return .success(plan)
    }

    /// A follow-up booked by a rule goes to the person's worker, whoever records it.
    static func book(_ id: UUID, _ p: Patient, _ due: Day, reason: String?) -> EventBody {
        .followupScheduled(FollowupScheduled(followupId: id, patientId: p.id, due: due, reason: reason, worker: p.worker))
    }
}

// MARK: - Changing status (discharge)

/// What to do with a person's open follow-ups when their case ends.
public enum FollowupDisposal: String, Vocabulary {
    case complete, cancel
    public var label: String { self == .complete ? "complete them" : "cancel them" }
    public static var aliases: [String: FollowupDisposal] { ["done": .complete, "completed": .complete, "cancelled": .cancel] }
}

public struct StatusInput: Sendable, Hashable {
    public var patientId: UUID
    public var status: PatientStatus
    public var date: Day
    public var reason: String?
    /// Needed when the case ends with follow-ups still open.
    public var openFollowups: FollowupDisposal?
    public init(patientId: UUID, status: PatientStatus, date: Day, reason: String? = nil, openFollowups: FollowupDisposal? = nil) {
        self.patientId = patientId; self.status = status; self.date = date; self.reason = reason; self.openFollowups = openFollowups
    }
}

extension Rules {
    /// A change of status. Ending a case (discharge, declined, unable to contact) never leaves
    /// its follow-ups dangling: with some open, it is refused until the person says whether to
    /// complete or cancel them. "Did not attend" is no longer a status: it is a contact's outcome.
    public static func changeStatus(_ input: StatusInput, state: CaseloadState, context: RuleContext) -> Result<[EventBody], Problems<FieldProblem>> {
        guard state.patients[input.patientId] != nil else {
            return .failure(Problems([FieldProblem("patient", "no such person on the caseload")]))
        }
        var problems: [FieldProblem] = []
        if input.status == .didNotAttend {
            problems.append(FieldProblem("status", "did not attend is the outcome of a contact, not of the case: record the contact with that outcome (the case stays open)"))
        }
        if input.date > context.asOf { problems.append(FieldProblem("date", "the date \(input.date) is after today (\(context.asOf))")) }
        if input.status == .declined, (input.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(FieldProblem("reason", "say why the person declined (--reason): the message to the GP and the reports count it"))
        }
        if let r = input.reason, let p = RecordLimits.textProblem(field: "reason", r, long: false) { problems.append(FieldProblem("reason", p)) }
        let open = state.followups(of: input.patientId).filter { $0.status == .open }
        if !input.status.isOpen, !open.isEmpty, input.openFollowups == nil {
            let list = open.map { "\($0.id.uuidString.prefix(8).lowercased()) due \($0.due)" }.joined(separator: ", ")
            problems.append(FieldProblem("followups", "\(open.count) follow-up\(open.count == 1 ? " is" : "s are") still open (\(list)): say whether to complete or cancel \(open.count == 1 ? "it" : "them")"))
        }
        guard problems.isEmpty else { return .failure(Problems(problems)) }
        // The follow-ups first and the status last: `caseload undo` takes back the last event,
        // which is then the status change itself.
        var bodies: [EventBody] = []
        if !input.status.isOpen, let disposal = input.openFollowups {
            for f in open {
                switch disposal {
                case .complete:
                    bodies.append(.followupCompleted(FollowupCompleted(followupId: f.id, date: context.asOf, reschedulesSeen: f.reschedules.count)))
                case .cancel:
                    bodies.append(.followupCancelled(FollowupCancelled(followupId: f.id, date: context.asOf, reason: input.status.label,
                                                                       reschedulesSeen: f.reschedules.count)))
                }
            }
        }
        bodies.append(.patientStatusChanged(PatientStatusChanged(patientId: input.patientId, status: input.status, date: input.date, reason: input.reason)))
        return .success(bodies)
    }
}

// MARK: - Connecting a person to a service

public struct ConnectionInput: Sendable, Hashable {
    public var patientId: UUID
    public var serviceId: UUID
    public var stage: ConnectionStage
    public var accompanied: Bool
    /// Signposted or referred; left out, the first stage implies it (a suggestion is signposting).
    public var route: ConnectionRoute?
    /// A service not in the directory, added with the connection (`serviceId` is its id).
    public var newService: ServiceAdded?
    public init(patientId: UUID, serviceId: UUID, stage: ConnectionStage = .suggested, accompanied: Bool = false, route: ConnectionRoute? = nil,
                newService: ServiceAdded? = nil) {
        self.patientId = patientId; self.serviceId = serviceId; self.stage = stage; self.accompanied = accompanied; self.route = route
        self.newService = newService
    }
    public var effectiveRoute: ConnectionRoute { route ?? .implied(byFirstStage: stage) }
}

extension Rules {
    /// A social prescription: the person connected to a service, told about it (signposted) or
    /// referred to it. The same service cannot be connected twice while the first is open: that
    /// one moves on instead, so the service's demand is not counted twice.
    public static func connect(_ input: ConnectionInput, state: CaseloadState, context: RuleContext,
                               connectionId: UUID) -> Result<[EventBody], Problems<FieldProblem>> {
        guard state.patients[input.patientId] != nil else {
            return .failure(Problems([FieldProblem("patient", "no such person on the caseload")]))
        }
        var bodies: [EventBody] = []
        if let new = input.newService {
            let name = new.name.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty { return .failure(Problems([FieldProblem("newName", "give the new service's name")])) }
            let problems = [("newName", new.name), ("newAddress", new.address ?? ""), ("newTimes", new.times ?? ""), ("newContact", new.contact ?? "")]
                .compactMap { field, text in RecordLimits.textProblem(field: field, text, long: false).map { FieldProblem(field, $0) } }
            if !problems.isEmpty { return .failure(Problems(problems)) }
            bodies.append(.serviceAdded(new))
        } else if state.services[input.serviceId] == nil {
            return .failure(Problems([FieldProblem("service", "no such service in the directory")]))
        }
        if let open = state.openConnection(patientId: input.patientId, serviceId: input.serviceId) {
            return .failure(Problems([FieldProblem("service", "already connected to this service (connection \(open.id.uuidString.prefix(8).lowercased()), \(open.stage.label)): move that connection on instead")]))
        }
        bodies.append(.connectionMade(ConnectionMade(connectionId: connectionId, patientId: input.patientId, serviceId: input.serviceId,
                                                     stage: input.stage, accompanied: input.accompanied, date: context.asOf,
                                                     route: input.effectiveRoute)))
        return .success(bodies)
    }
}

// MARK: - Referring a known person again

/// A new referral of someone already on the caseload.
public struct ReReferralInput: Sendable, Hashable {
    public var patientId: UUID
    public var referral: Referral
    /// The worker the new episode goes to; nil keeps the person's worker.
    public var worker: String?
    /// The new episode's first follow-up, as a first referral books one.
    public var firstFollowup: Day?
    public var followupReason: String?
    public init(patientId: UUID, referral: Referral, worker: String? = nil, firstFollowup: Day? = nil, followupReason: String? = nil) {
        self.patientId = patientId; self.referral = referral; self.worker = worker
        self.firstFollowup = firstFollowup; self.followupReason = followupReason
    }
}

extension Rules {
    /// A known person referred again opens a new episode with its own referral, contacts,
    /// goals, measures and outcome; their details and history stay one record. Only once the
    /// current episode has ended: while it is open, the new need belongs to the plan already
    /// being worked.
    public static func referAgain(_ input: ReReferralInput, state: CaseloadState, context: RuleContext,
                                  followupId: UUID = UUID()) -> Result<[EventBody], Problems<FieldProblem>> {
        guard let p = state.patients[input.patientId] else {
            return .failure(Problems([FieldProblem("patient", "no such person on the caseload")]))
        }
        var problems: [FieldProblem] = []
        if p.status.isOpen {
            problems.append(FieldProblem("patient", "their current episode is still open (\(p.status.label), referred \(p.referral.date)): a new referral opens a new episode once this one has ended"))
        }
        var r = input.referral
        // Blank is not recorded, as on a first referral (a form sends empty fields).
        func blankless(_ t: String?) -> String? {
            guard let t = t?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
            return t
        }
        r.referrer = blankless(r.referrer)
        r.text = blankless(r.text)
        if r.date > context.asOf { problems.append(FieldProblem("date", "the referral date \(r.date) is after today (\(context.asOf))")) }
        if let last = p.statusHistory.last?.date, r.date < last {
            problems.append(FieldProblem("date", "the referral date \(r.date) is before the current episode's last change (\(last))"))
        }
        if r.reasons.isEmpty { problems.append(FieldProblem("reasons", "give at least one reason for the referral")) }
        for (field, text) in [("referrer", r.referrer ?? ""), ("note", r.text ?? "")] {
            if let message = RecordLimits.textProblem(field: field, text, long: field == "note") { problems.append(FieldProblem(field, message)) }
        }
        let reason = input.followupReason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let reason, let message = RecordLimits.textProblem(field: "followupReason", reason, long: false) {
            problems.append(FieldProblem("followupReason", message))
        }
        if let due = input.firstFollowup, !due.isStorable || due.ordinal - context.asOf.ordinal > RuleContext.maxDaysAhead {
            problems.append(FieldProblem("followup", "the first follow-up must be within \(RuleContext.maxDaysAhead) days of today, not \(due)"))
        }
        guard problems.isEmpty else { return .failure(Problems(problems)) }
        var bodies: [EventBody] = [.patientReferred(PatientReferred(
            patientId: p.id, name: p.name, preferredName: p.preferredName, dateOfBirth: p.dateOfBirth, nhsNumber: p.nhsNumber,
            phone: p.phone, address: p.address, gpPractice: p.gpPractice, worker: input.worker, referral: r))]
        if let due = input.firstFollowup {
            bodies.append(.followupScheduled(FollowupScheduled(followupId: followupId, patientId: p.id, due: due,
                                                               reason: reason?.isEmpty == false ? reason : nil, worker: input.worker ?? p.worker)))
        }
        return .success(bodies)
    }
}

// MARK: - Queries the rules use

extension CaseloadState {
    /// Open follow-ups of a person due today or before, earliest first.
    public func dueFollowups(of patientId: UUID, asOf: Day) -> [Followup] {
        followups(of: patientId).filter { $0.status == .open && $0.due <= asOf }
    }

    /// Missed contacts since the person's last attended one (in date order).
    public func missedInARow(of patientId: UUID) -> Int {
        guard let p = patients[patientId] else { return 0 }
        var lastAttended: (Day, HLC)?
        for id in p.sessionIDs {
            guard let s = sessions[id], s.outcome == .attended else { continue }
            let key = (s.date, s.versions.first?.clock ?? .zero)
            if lastAttended.map({ $0 < key }) ?? true { lastAttended = key }
        }
        var count = 0
        for id in p.sessionIDs {
            guard let s = sessions[id], s.outcome.isMissed else { continue }
            if let last = lastAttended, (s.date, s.versions.first?.clock ?? .zero) < last { continue }
            count += 1
        }
        return count
    }

    /// Why an open case needs a review, or nil: a run of missed contacts, or the person-level
    /// "did not attend" status older journals hold.
    public func reviewReason(of patientId: UUID, after threshold: Int) -> String? {
        guard let p = patients[patientId], p.status.isOpen else { return nil }
        let missed = missedInARow(of: patientId)
        if missed >= max(1, threshold) { return "\(missed) missed contacts in a row" }
        if p.status == .didNotAttend { return "recorded as did not attend" }
        return nil
    }
}
