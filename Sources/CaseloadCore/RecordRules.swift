import Foundation

/// The rules of the single-record actions: a goal and its progress, a measure, a note's
/// amendment, and booking, moving, closing and cancelling a follow-up. Each face parses what the
/// user typed into values; these decide what is allowed and what is written, so the app's form
/// and `caseload goal add` refuse the same things with the same words (the field names are the
/// forms' field keys).
extension Rules {
    public typealias Outcome = Result<[EventBody], Problems<FieldProblem>>

    static func refuse(_ field: String, _ message: String) -> Outcome { .failure(Problems([FieldProblem(field, message)])) }

    /// A day a record happened on: today or earlier, and not before the caseload's dates begin.
    static func pastDayProblem(_ day: Day, _ what: String, context: RuleContext) -> String? {
        if day > context.asOf { return "\(what) is after today (\(context.asOf)): record it on the day, or earlier" }
        if context.asOf.days(since: day) > maxDaysBack { return "\(what) is more than \(maxDaysBack / 365) years ago" }
        return nil
    }

    /// Further back than any record is written about; far inside the dates a journal holds.
    static let maxDaysBack = 36_500

    // MARK: Goals

    /// Progress on a goal is scored 0 to 10. A command checks it before it opens the caseload.
    public static func progressProblem(_ score: Int) -> String? {
        (0...10).contains(score) ? nil : "progress is 0 to 10, not \(score)"
    }

    public static func addGoal(patientId: UUID, text: String, progress: Int?, date: Day, state: CaseloadState, context: RuleContext,
                               goalId: UUID) -> Outcome {
        guard state.patients[patientId] != nil else { return refuse("patient", "no such person on the caseload") }
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return refuse("text", "the goal is needed, in the person's words") }
        if let p = RecordLimits.textProblem(field: "goal", text, long: false) { return refuse("text", p) }
        if let progress, let p = progressProblem(progress) { return refuse("progress", p) }
        if let p = pastDayProblem(date, "the date", context: context) { return refuse("date", p) }
        return .success([.goalSet(GoalSet(goalId: goalId, patientId: patientId, text: text, date: date, progress: progress))])
    }

    public static func recordProgress(goalId: UUID, score: Int, date: Day, state: CaseloadState, context: RuleContext) -> Outcome {
        if let p = progressProblem(score) { return refuse("score", p) }
        guard state.goals[goalId] != nil else { return refuse("goal", "no such goal") }
        if let p = pastDayProblem(date, "the date", context: context) { return refuse("date", p) }
        return .success([.goalProgressed(GoalProgressed(goalId: goalId, score: score, date: date))])
    }

    public static func changeGoalStatus(goalId: UUID, to status: GoalStatus, state: CaseloadState, context: RuleContext) -> Outcome {
        guard let g = state.goals[goalId] else { return refuse("goal", "no such goal") }
        if g.status == status { return refuse("status", "the goal is already \(status.label)") }
        return .success([.goalStatusChanged(GoalStatusChanged(goalId: goalId, status: status, date: context.asOf))])
    }

    // MARK: Measures

    public static func recordMeasure(patientId: UUID, instrument: Instrument, answers: [Int], date: Day, state: CaseloadState,
                                     context: RuleContext, measureId: UUID) -> Outcome {
        guard state.patients[patientId] != nil else { return refuse("patient", "no such person on the caseload") }
        if let problem = instrument.validate(answers) { return refuse("answers", problem.description) }
        if let p = pastDayProblem(date, "the date", context: context) { return refuse("date", p) }
        return .success([.measureRecorded(MeasureRecorded(measureId: measureId, patientId: patientId, instrument: instrument,
                                                          answers: answers, date: date))])
    }

    // MARK: Notes

    /// A new text for a session's note, on top of the version the writer was looking at
    /// (`basedOn`; the latest when nil), so two devices amending at once keep both.
    public static func amendSession(sessionId: UUID, note: String, basedOn: UUID? = nil, draftId: UUID? = nil,
                                    state: CaseloadState) -> Outcome {
        guard let s = state.sessions[sessionId], let latest = s.versions.last else { return refuse("session", "no such session") }
        if note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return refuse("note", "the note is empty: write something first") }
        if note == s.note { return refuse("note", "no change to save") }
        if let p = RecordLimits.textProblem(field: "note", note, long: true) { return refuse("note", p) }
        return .success([.sessionAmended(SessionAmended(sessionId: sessionId, note: note, basedOn: basedOn ?? latest.eventId, draftId: draftId))])
    }

    // MARK: Follow-ups

    /// Books a follow-up. It goes to `worker` when one is named, else to the person's worker,
    /// else to whoever books it: the one who will make the call.
    public static func bookFollowup(patientId: UUID, due: Day, reason: String?, worker: String? = nil, state: CaseloadState,
                                    context: RuleContext, followupId: UUID) -> Outcome {
        guard let p = state.patients[patientId] else { return refuse("patient", "no such person on the caseload") }
        if let problem = dueProblem(due, context: context) { return refuse("due", problem) }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let reason, let problem = RecordLimits.textProblem(field: "reason", reason, long: false) { return refuse("reason", problem) }
        if let worker, state.workers[worker] == nil, worker != context.actor {
            return refuse("worker", "no worker '\(worker)' is known here")
        }
        return .success([.followupScheduled(FollowupScheduled(followupId: followupId, patientId: p.id, due: due,
                                                              reason: reason?.isEmpty == false ? reason : nil,
                                                              worker: worker ?? p.worker ?? context.actor))])
    }

    public static func completeFollowup(_ id: UUID, state: CaseloadState, context: RuleContext) -> Outcome {
        guard let f = state.followups[id] else { return refuse("followup", "no such follow-up") }
        guard f.status == .open else { return refuse("followup", "follow-up \(CaseloadState.shortId(f.id)) is already \(f.status.label)") }
        return .success([.followupCompleted(FollowupCompleted(followupId: f.id, date: context.asOf, reschedulesSeen: f.reschedules.count))])
    }

    /// Moves a follow-up. Moving one whose two devices disagreed settles the disagreement.
    public static func rescheduleFollowup(_ id: UUID, to due: Day, reason: String?, state: CaseloadState, context: RuleContext) -> Outcome {
        guard let f = state.followups[id] else { return refuse("followup", "no such follow-up") }
        guard f.status == .open else { return refuse("followup", "follow-up \(CaseloadState.shortId(f.id)) is already \(f.status.label)") }
        if let problem = dueProblem(due, context: context) { return refuse("due", problem) }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let reason, let problem = RecordLimits.textProblem(field: "reason", reason, long: false) { return refuse("reason", problem) }
        return .success([.followupRescheduled(FollowupRescheduled(followupId: f.id, due: due, reason: reason?.isEmpty == false ? reason : nil,
                                                                  date: context.asOf, resolvesConflict: f.conflict != nil ? true : nil))])
    }

    public static func cancelFollowup(_ id: UUID, reason: String?, state: CaseloadState, context: RuleContext) -> Outcome {
        guard let f = state.followups[id] else { return refuse("followup", "no such follow-up") }
        guard f.status == .open else { return refuse("followup", "follow-up \(CaseloadState.shortId(f.id)) is already \(f.status.label)") }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let reason, let problem = RecordLimits.textProblem(field: "reason", reason, long: false) { return refuse("reason", problem) }
        return .success([.followupCancelled(FollowupCancelled(followupId: f.id, date: context.asOf, reason: reason?.isEmpty == false ? reason : nil,
                                                              reschedulesSeen: f.reschedules.count))])
    }

    /// A due date within ten years of today either way: an overdue one may be booked to record
    /// a call that should have happened, nothing is planned further ahead.
    static func dueProblem(_ due: Day, context: RuleContext) -> String? {
        let ahead = due.days(since: context.asOf)
        if ahead > RuleContext.maxDaysAhead { return "the due date is more than \(RuleContext.maxDaysAhead / 365) years ahead" }
        if -ahead > RuleContext.maxDaysAhead { return "the due date is more than \(RuleContext.maxDaysAhead / 365) years ago" }
        return nil
    }
}
