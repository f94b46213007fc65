import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import Foundation

struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "session", abstract: "Record sessions and their notes.",
                                                    subcommands: [Add.self, Amend.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a contact (a session, a call, an attempt) with its outcome and method.",
            discussion: """
            An attended contact completes the person's follow-ups due by today (unless --keep-followup) and moves \
            "referred" to "contacted". A missed one (did-not-attend, no-answer, cancelled-...) keeps the case and its \
            follow-ups open and needs no note; it suggests the next follow-up, or moves the due one on with --next-in-days N. \
            After missed_contacts_for_review (config, default 3) missed contacts in a row the person is flagged for review.
            """)
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String
        @Option(help: "Contact date (default: today; never after it).") var date: Day?
        @Option(name: [.customLong("method"), .customLong("kind")], help: "Method: \(ContactMethod.choices) (--kind is the older name).")
        var method: ContactMethod = .faceToFace
        @Option(help: "Outcome: \(ContactOutcome.choices) (default: attended).") var outcome: ContactOutcome = .attended
        @Option(help: "Length in minutes.") var minutes: Int?
        @Option(help: "The note text, or - to read it from standard input (keeps it out of ps and shell history).") var note: String?
        @Option(help: "Read the note from a UTF-8 file (- for standard input).") var noteFile: String?
        @Flag(help: "Attended: leave the follow-ups due today or overdue open.") var keepFollowup = false
        @Option(help: "Book the next follow-up this many days from today (after a missed contact: move the due one there).")
        var nextInDays: Int?

        func run() throws {
            let text = try readNote(text: note, file: noteFile)
            let store = try data.open()
            defer { store.close() }
            let p = try unwrap(store.state.resolvePatient(patient))
            let context = RuleContext(asOf: asOf.today, reviewAfterMissed: Caseload.reviewAfterMissed)
            let input = ContactInput(patientId: p.id, date: date ?? asOf.today, method: method, outcome: outcome, minutes: minutes, note: text,
                                     completeDueFollowups: !keepFollowup, nextInDays: nextInDays)
            let plan: ContactPlan
            plan = try unwrap(Rules.recordContact(input, state: store.state, context: context))
            try store.append(plan.bodies)
            if output.json { return try printJSON(SessionJSON(store.state.sessions[plan.sessionId]!)) }
            say("Saved \(outcome == .attended ? "session" : outcome.label + " contact") \(shortId(plan.sessionId)) for \(shortId(p.id))")
            for f in plan.completed { say("Follow-up \(shortId(f)) done") }
            if let s = plan.newStatus { say("Status: \(s.label)") }
            if !plan.moved.isEmpty, let d = plan.nextDue { say("Follow-up \(plan.moved.map(shortId).joined(separator: ", ")) moved to \(d)") }
            if let f = plan.booked, let d = plan.nextDue { say("Follow-up \(shortId(f)) booked for \(d)") }
            if let d = plan.alreadyBooked { say("The case stays open; the next follow-up is already booked for \(d)") }
            if let d = plan.suggestedNext {
                say("The case and its follow-ups stay open. Next try: \(d) (book it with --next-in-days \(RuleContext.defaultNextAfterMissedDays))")
            }
            if outcome.isMissed, plan.missedInARow >= context.reviewAfterMissed {
                say("Flagged for review: \(plan.missedInARow) missed contacts in a row")
            }
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replace a session's note; the earlier version stays in its history.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONFlag
        @Argument(help: "Session id or unique prefix.") var session: String
        @Option(help: "The new note text, or - to read it from standard input.") var note: String?
        @Option(help: "Read the note from a UTF-8 file (- for standard input).") var noteFile: String?

        func run() throws {
            guard note != nil || noteFile != nil else { throw CLIError("give the new note with --note or --note-file") }
            let text = try readNote(text: note, file: noteFile)
            let store = try data.open()
            defer { store.close() }
            let s = try unwrap(store.state.resolveSession(session))
            try store.append(unwrap(Rules.amendSession(sessionId: s.id, note: text, state: store.state)))
            if output.json { return try printJSON(SessionJSON(store.state.sessions[s.id]!)) }
            say("Amended session \(shortId(s.id)); \(store.state.sessions[s.id]!.versions.count) versions kept")
        }
    }
}

struct GoalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "goal", abstract: "The personalised plan: what matters to the person.",
                                                    subcommands: [Add.self, Progress.self, Status.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a goal.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String
        @Option(help: "The goal, in the person's words.") var text: String
        @Option(help: "Starting progress 0-10.") var progress: Int?
        @Option var date: Day?

        func run() throws {
            let store = try data.open()
            defer { store.close() }
            let p = try unwrap(store.state.resolvePatient(patient))
            let gid = UUID()
            try store.append(unwrap(Rules.addGoal(patientId: p.id, text: text, progress: progress, date: date ?? asOf.today, state: store.state,
                                                  context: asOf.rules(store), goalId: gid)))
            if output.json { return try printJSON(GoalJSON(store.state.goals[gid]!)) }
            say("Added goal \(shortId(gid))")
        }
    }

    struct Progress: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record progress on a goal, 0 to 10.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument var goal: String
        @Argument var score: Int
        @Option var date: Day?

        func run() throws {
            if let problem = Rules.progressProblem(score) { throw CLIError(problem) }
            let store = try data.open()
            defer { store.close() }
            let g = try unwrap(store.state.resolveGoal(goal))
            try store.append(unwrap(Rules.recordProgress(goalId: g.id, score: score, date: date ?? asOf.today, state: store.state, context: asOf.rules(store))))
            if output.json { return try printJSON(GoalJSON(store.state.goals[g.id]!)) }
            say("Goal \(shortId(g.id)): \(store.state.goals[g.id]!.progress.map { "\($0.score)" }.joined(separator: " → "))")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a goal achieved, dropped or active again.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @Argument var goal: String
        @Argument(help: "active, achieved or dropped.") var status: GoalStatus
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try data.open()
            defer { store.close() }
            let g = try unwrap(store.state.resolveGoal(goal))
            try store.append(unwrap(Rules.changeGoalStatus(goalId: g.id, to: status, state: store.state, context: asOf.rules(store))))
            if output.json { return try printJSON(GoalJSON(store.state.goals[g.id]!)) }
            say("Goal \(shortId(g.id)) is \(status.label)")
        }
    }
}

struct MeasureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "measure", abstract: "Wellbeing and loneliness measures.",
                                                    subcommands: [Add.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a completed questionnaire.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String
        @Option(help: "ons4 (four 0-10), swemwbs (seven 1-5) or ucla3 (three 1-3).") var instrument: Instrument
        @Option(help: "The answers in question order, comma separated, e.g. 3,3,2,4,3,2,3.") var answers: String
        @Option var date: Day?

        func run() throws {
            let parts = answers.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            var values: [Int] = []
            for (i, part) in parts.enumerated() {
                guard let v = Int(part) else { throw CLIError("answer \(i + 1) ('\(part)') is not a whole number") }
                values.append(v)
            }
            let store = try data.open()
            defer { store.close() }
            let p = try unwrap(store.state.resolvePatient(patient))
            let mid = UUID()
            try store.append(unwrap(Rules.recordMeasure(patientId: p.id, instrument: instrument, answers: values, date: date ?? asOf.today,
                                                        state: store.state, context: asOf.rules(store), measureId: mid)))
            let m = store.state.measures[mid]!
            if output.json { return try printJSON(MeasureJSON(m)) }
            say("\(instrument.label) \(MeasureText.score(m))")
        }
    }
}

struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "service", abstract: "The directory of community groups and services.",
                                                    subcommands: [Add.self, List.self, Show.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a community group or service to the directory.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONFlag
        @Option var name: String
        @Option var organisation: String?
        @Option(help: "e.g. physical activity, money, social.") var category: String?
        @Option var contact: String?
        @Option var address: String?
        @Option(help: "When it runs, e.g. \"Thursdays 10:00\".") var times: String?

        func run() throws {
            let name = try nonEmpty(self.name, "the service name")
            let store = try data.open()
            defer { store.close() }
            let sid = UUID()
            try store.append([.serviceAdded(ServiceAdded(serviceId: sid, name: name, organisation: organisation, category: category,
                                                         contact: contact, address: address, times: times))])
            if output.json { return try printJSON(ServiceJSON(store.state.services[sid]!)) }
            say("Added service \(shortId(sid))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the directory of community groups and services.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONFlag
        @Option(help: "Only services whose name, category, place, postcode, days, description or any other detail contains this (accents and case ignored).")
        var search: String?
        func run() throws {
            let store = try data.open(.readOnly)
            let needle = search.map { SearchText.fold($0.trimmingCharacters(in: .whitespaces)) } ?? ""
            let list = store.state.services.values.filter { needle.isEmpty || $0.matches(folded: needle) }
                .sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }
            if output.json { return try printJSON(list.map(ServiceJSON.init)) }
            var table = TextTable(["ID", "NAME", "ORGANISATION", "CATEGORY", "TIMES"])
            for s in list { table.add([shortId(s.id), s.name + (s.isListed ? "" : " (no longer listed)"), s.organisation ?? "", s.category ?? "", s.times ?? ""]) }
            table.print()
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything the directory says about one service: what it is, who it is for, when, where and how to contact it.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONFlag
        @Argument(help: "Service id prefix or exact name.") var service: String
        func run() throws {
            let store = try data.open(.readOnly)
            let s = try unwrap(store.state.resolveService(service))
            if output.json { return try printJSON(ServiceJSON(s)) }
            for (label, value) in s.labelled { say(label + ": " + value) }
        }
    }
}

struct Connect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Connect a person to a community service (a social prescription).")
    @OptionGroup var data: DataOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var output: JSONFlag
    @Argument(help: patientArgumentHelp) var patient: String
    @Argument(help: "Service id prefix or exact name.") var service: String
    @Option(help: "Stage: \(ConnectionStage.choices).") var stage: ConnectionStage = .suggested
    @Flag(help: "The worker goes with them to the first visit.") var accompanied = false
    @Option(help: "signposted (told about the service) or referred (the service was contacted for them); default: signposted when suggested, else referred.")
    var route: ConnectionRoute?

    func run() throws {
        let store = try data.open()
        defer { store.close() }
        let p = try unwrap(store.state.resolvePatient(patient))
        let s = try unwrap(store.state.resolveService(service))
        let input = ConnectionInput(patientId: p.id, serviceId: s.id, stage: stage, accompanied: accompanied, route: route)
        let cid = UUID()
        switch Rules.connect(input, state: store.state, context: asOf.rules(store), connectionId: cid) {
        case .success(let bodies): try store.append(bodies)
        case .failure(let problems):
            throw CLIError(problems.items.map { $0.field == "service" ? $0.message + " with `caseload connection stage`" : $0.message }.joined(separator: "; "))
        }
        if output.json { return try printJSON(ConnectionJSON(store.state.connections[cid]!, state: store.state)) }
        say("Connected \(shortId(p.id)) to \(s.name) (\(input.effectiveRoute.label), stage \(stage.label)) — connection \(shortId(cid))")
        if let d = s.delistedOn { say("Note: \(s.source ?? "its directory") stopped listing \(s.name) on \(d); check it still runs.") }
    }
}

struct ConnectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "connection", abstract: "Move a connection through its stages.",
                                                    subcommands: [Stage.self])
    struct Stage: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a connection to a stage (referred, enrolled, engaged, ...).")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @Argument var connection: String
        @Argument(help: "\(ConnectionStage.choices).") var stage: ConnectionStage
        @Option(help: "Why (e.g. why they dropped out).") var reason: String?
        @OptionGroup var output: JSONFlag
        func run() throws {
            let store = try data.open()
            defer { store.close() }
            let c = try unwrap(store.state.resolveConnection(connection))
            try store.append([.connectionStageChanged(ConnectionStageChanged(connectionId: c.id, stage: stage, date: asOf.today, reason: reason))])
            if output.json { return try printJSON(ConnectionJSON(store.state.connections[c.id]!, state: store.state)) }
            say("Connection \(shortId(c.id)) is \(stage.label)")
        }
    }
}

struct FollowupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "followup", abstract: "Follow-ups: the next contact with each person.",
                                                    subcommands: [Add.self, Done.self, Reschedule.self, Cancel.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Book a follow-up with a person.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String
        @Option(help: "Due date, YYYY-MM-DD.") var due: Day
        @Option var reason: String?
        @Option(help: "Worker id (default: the person's worker).") var worker: String?
        func run() throws {
            let store = try data.open()
            defer { store.close() }
            let p = try unwrap(store.state.resolvePatient(patient))
            let fid = UUID()
            try store.append(unwrap(Rules.bookFollowup(patientId: p.id, due: due, reason: reason, worker: worker, state: store.state,
                                                       context: asOf.rules(store), followupId: fid)))
            if output.json { return try printJSON(FollowupJSON(store.state.followups[fid]!, state: store.state, asOf: asOf.today)) }
            say("Follow-up \(shortId(fid)) due \(due)")
        }
    }

    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a follow-up done (today, or --as-of).")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: "Follow-up id or unique id prefix (as caseload overdue and followup list show).") var followup: String
        func run() throws {
            let store = try data.open()
            defer { store.close() }
            let f = try unwrap(store.state.resolveFollowup(followup))
            try store.append(unwrap(Rules.completeFollowup(f.id, state: store.state, context: asOf.rules(store))))
            if output.json { return try printJSON(FollowupJSON(store.state.followups[f.id]!, state: store.state, asOf: asOf.today)) }
            say("Follow-up \(shortId(f.id)) done")
        }
    }

    struct Reschedule: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a follow-up to a new date, with a reason.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: "Follow-up id or unique id prefix (as caseload overdue and followup list show).") var followup: String
        @Option(help: "New due date, YYYY-MM-DD.") var due: Day?
        @Option(help: "Or move it by days from today: 1, 7, ... (at most \(maxDaysAhead)).") var inDays: Int?
        @Option(help: "Why (e.g. no answer).") var reason: String?
        func run() throws {
            guard (due == nil) != (inDays == nil) else { throw CLIError("give either --due DATE or --in-days N") }
            let store = try data.open()
            defer { store.close() }
            let f = try unwrap(store.state.resolveFollowup(followup))
            let newDue = try due ?? movedDue(from: asOf.today, days: inDays ?? 0)
            try store.append(unwrap(Rules.rescheduleFollowup(f.id, to: newDue, reason: reason, state: store.state, context: asOf.rules(store))))
            if output.json { return try printJSON(FollowupJSON(store.state.followups[f.id]!, state: store.state, asOf: asOf.today)) }
            say("Follow-up \(shortId(f.id)) moved from \(f.due) to \(newDue)")
        }
    }

    /// Ten years: further than any follow-up is planned, far inside the dates a journal holds.
    static let maxDaysAhead = 3650

    private static func movedDue(from today: Day, days: Int) throws -> Day {
        guard (0...maxDaysAhead).contains(days), let day = today.checkedAdding(days: days) else {
            throw CLIError("--in-days must be between 0 and \(maxDaysAhead), not \(days)")
        }
        return day
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a follow-up that is no longer needed.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @Argument(help: "Follow-up id or unique id prefix (as caseload overdue and followup list show).") var followup: String
        @Option var reason: String?
        @OptionGroup var output: JSONFlag
        func run() throws {
            let store = try data.open()
            defer { store.close() }
            let f = try unwrap(store.state.resolveFollowup(followup))
            try store.append(unwrap(Rules.cancelFollowup(f.id, reason: reason, state: store.state, context: asOf.rules(store))))
            if output.json { return try printJSON(FollowupJSON(store.state.followups[f.id]!, state: store.state, asOf: asOf.today)) }
            say("Follow-up \(shortId(f.id)) cancelled")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List open follow-ups, soonest first.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Option(help: "Only this worker's.") var worker: String?
        @Flag(help: "Include done and cancelled ones.") var all = false
        func run() throws {
            let store = try data.open(.readOnly)
            let s = store.state
            let today = asOf.today
            let list = all
                ? s.followups.values.filter { worker == nil || $0.worker == worker }.sorted { ($0.due, $0.id.uuidString) < ($1.due, $1.id.uuidString) }
                : s.openFollowups(worker: worker)
            if output.json { return try printJSON(list.map { FollowupJSON($0, state: s, asOf: today) }) }
            var table = TextTable(["ID", "DUE", "STATUS", "PATIENT", "WORKER", "REASON"])
            for f in list {
                let status = f.isOverdue(asOf: today) ? "\(today.days(since: f.due))d overdue" : f.due == today ? "due today" : f.status.label
                table.add([shortId(f.id), "\(f.due)", status, s.patients[f.patientId]?.name ?? "?", f.worker ?? "", f.reason ?? ""])
            }
            table.print()
        }
    }
}
