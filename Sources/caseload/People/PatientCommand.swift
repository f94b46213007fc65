import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import Foundation

struct PatientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patient", abstract: "Add, find and review people on the caseload.",
        subcommands: [Add.self, Refer.self, List.self, Show.self, Status.self, Discharge.self, Update.self, ConsentCmd.self, History.self,
                       Duplicates.self, Merge.self, Distinct.self, Restrict.self, Unrestrict.self, Erase.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a newly referred person.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Option(help: "Full name, in any script.") var name: String
        @Option(help: "What they like to be called.") var preferredName: String?
        @Option(help: "NHS number (10 digits; spaces allowed).") var nhsNumber: String?
        @Option(help: "Date of birth, YYYY-MM-DD.") var dob: Day?
        @Option var phone: String?
        @Option var address: String?
        @Option(help: "GP practice.") var gpPractice: String?
        @Option(help: "Assigned worker id (default: you).") var worker: String?
        @Option(help: "Referral source: \(ReferralSource.choices).") var source: ReferralSource = .other
        @Option(help: "Who referred them (e.g. Dr Patel).") var referrer: String?
        @Option(help: "A reason for referral (repeat for more): \(ReferralReason.choices).") var reason: [ReferralReason] = []
        @Option(help: "Referral date (default: today).") var referralDate: Day?
        @Option(help: "Free text about the referral.") var referralNote: String?
        @Flag(help: "They consent to social prescribing support.") var consent = false
        @Flag(help: "They consent to sharing information with their GP.") var shareWithGp = false
        @Option(help: "Schedule a first follow-up on this date.") var followup: Day?
        @Option(help: "The first follow-up's reason.") var followupReason = "First call"

        func run() throws {
            let today = asOf.today
            let store = try data.open()
            defer { store.close() }
            let pid = UUID()
            var consent: [ConsentKind: Bool] = [:]
            if self.consent { consent[.socialPrescribing] = true }
            if shareWithGp { consent[.shareWithGP] = true }
            let input = ReferralInput(name: name, preferredName: preferredName, nhsNumber: nhsNumber, dateOfBirth: dob, phone: phone,
                                      address: address, gpPractice: gpPractice, worker: worker ?? store.workerId,
                                      referral: Referral(date: referralDate ?? today, source: source, referrer: referrer, reasons: reason, text: referralNote),
                                      consent: consent, firstFollowup: followup, followupReason: followupReason)
            let bodies: [EventBody]
            switch Rules.refer(input, state: store.state, context: RuleContext(asOf: today), patientId: pid) {
            case .success(let b): bodies = b
            case .failure(let problems): throw CLIError(problems.items.map(\.message).joined(separator: "; ") + "; nothing was added")
            }
            try store.append(bodies)
            let p = store.state.patients[pid]!
            if output.json { return try printJSON(PatientDetailJSON(p, state: store.state, asOf: today)) }
            say("Added \(shortId(pid))  (id \(pid.lowercasedString))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List people, optionally filtered.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Option(help: "Only this status (people flagged for review: --review).") var status: PatientStatus?
        @Option(help: "Only this worker's (worker id).") var worker: String?
        @Option(help: "Name, NHS number or referral reason contains this (accents and case ignored).") var search: String?
        @Flag(help: "Only those flagged for review (missed contacts in a row, or recorded as did not attend in an older journal).") var review = false
        @Flag(help: "Only restricted records (patient restrict): kept but not on any other list.") var restricted = false

        func run() throws {
            // Older journals' person-level "did not attend" reads as an open case flagged for
            // review, so that is where those people are found.
            if status == .didNotAttend {
                throw CLIError("did not attend is a contact's outcome, not a status: people recorded so in older journals are open and flagged for review (patient list --review)")
            }
            let store = try data.open(.readOnly)
            let today = asOf.today
            var list = store.state.patientList(status: status, worker: worker, search: search, includingRestricted: restricted)
            if restricted { list = list.filter { $0.restriction != nil } }
            if review { list = list.filter { store.state.reviewReason(of: $0.id, after: Caseload.reviewAfterMissed) != nil } }
            if output.json { return try printJSON(list.map { PatientSummaryJSON($0, state: store.state, asOf: today) }) }
            var table = TextTable(["ID", "NAME", "NHS NUMBER", "STATUS", "WORKER", "LAST CONTACT", "NEXT FOLLOW-UP"])
            let reviewAfter = Caseload.reviewAfterMissed
            for p in list {
                let review = store.state.reviewReason(of: p.id, after: reviewAfter) != nil ? " (review)" : ""
                let next = store.state.nextFollowup(of: p.id)
                let nextText = next.map { $0.due < today ? "\($0.due) (\(today.days(since: $0.due))d overdue)" : "\($0.due)" } ?? "-"
                table.add([shortId(p.id), p.displayName, p.nhsNumber?.formatted ?? "-", p.status.label + review, p.worker ?? "-",
                           p.lastContact.map { "\($0)" } ?? "-", nextText])
            }
            table.print()
            let hidden = restricted ? 0 : store.state.restrictedCount
            say("\(list.count) \(list.count == 1 ? "person" : "people")" + (hidden > 0 ? " (\(hidden) restricted, not listed: patient list --restricted)" : ""))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything about one person.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String

        func run() throws {
            let today = asOf.today
            let opened = try data.openToView(patient, how: .show, asOf: today)
            defer { opened.store.close() }
            // Recorded as it is shown (a failure to print after this is a full disk, not a refusal).
            opened.recordShown()
            let store = opened.store, p = opened.patient
            let state = store.state
            if output.json { return try printJSON(PatientDetailJSON(p, state: state, asOf: today)) }
            say("\(p.displayName)  [\(p.status.label)]  id \(p.id.lowercasedString)")
            if let e = p.erasure {
                say("! Erased on \(e.date) by \(e.by): \(e.reason). Only what reports count is left; nothing about them can be recorded")
            }
            if let r = p.restriction {
                say("! Restricted since \(r.since) by \(r.by): \(r.reason). Kept but not used: off every list, and nothing can be changed (caseload patient unrestrict \(shortId(p.id)))")
            }
            if let why = state.reviewReason(of: p.id, after: Caseload.reviewAfterMissed) { say("! Flagged for review: \(why)") }
            for d in state.likelyDuplicates(of: p.id) {
                let twin = state.patients[d.keep == p.id ? d.other : d.keep]!
                say("! May be the same person as \(shortId(twin.id)) \(twin.displayName) (\(d.reason)): caseload patient merge \(shortId(d.keep)) \(shortId(d.other)), or patient distinct")
            }
            switch state.riskStatus(of: p.id) {
            case .open(let risks): for r in risks { say("! Risk [\(shortId(r.id))]: \(r.summary)") }
            case .noneKnown(let d): say("No known risks (recorded \(d))")
            case .notRecorded: say("Risks: not recorded (caseload risk add, or risk none)")
            }
            var facts: [String] = []
            if let n = p.nhsNumber { facts.append("NHS \(n.formatted)") }
            if let dob = p.dateOfBirth { facts.append("born \(dob) (age \(dob.age(on: today)))") }
            if let g = p.gpPractice { facts.append(g) }
            if let w = p.worker { facts.append("worker \(w)") }
            say(facts.joined(separator: " · "))
            // How to reach them: what a worker picks up the phone for. An address typed on
            // several lines reads as one.
            let contact = [p.phone.map { "tel \($0)" }, p.address.map { "address " + oneLine($0) }].compactMap { $0 }
            if !contact.isEmpty { say(contact.joined(separator: " · ")) }
            let reasons = p.referral.reasons.map(\.label).joined(separator: ", ")
            say("Referred \(p.referral.date) by \(p.referral.source.label)\(p.referral.referrer.map { " (\($0))" } ?? "")\(reasons.isEmpty ? "" : " for \(reasons)")")
            if p.hasEarlierEpisodes {
                let earlier = p.episodes.dropLast().map { "\($0.number): referred \($0.referral.date) by \($0.referral.source.label), \($0.status.label)" }
                say("Episode \(p.episodes.count) of \(p.episodes.count) (earlier — \(earlier.joined(separator: "; ")))")
            }
            for m in p.mergedRecords {
                say("Merged in on \(m.mergedOn): a duplicate record of \(m.name), referred \(m.referral.date) by \(m.referral.source.label), \(m.status.label)")
            }
            let consent = ConsentKind.allCases.map { k in "\(k.label): \(p.consent[k].map { $0.given ? "yes (\($0.date))" : "no (\($0.date))" } ?? "not recorded")" }
            say("Consent — " + consent.joined(separator: "; "))
            for s in state.sessions(of: p.id) {
                say("\n\(s.date)  \(s.kind.label)\(s.outcome.isMissed ? " · " + s.outcome.label : "")\(s.minutes.map { ", \($0) min" } ?? "")  by \(s.author)  [session \(shortId(s.id))]\(s.versions.count > 1 ? "  (amended \(s.versions.count - 1)×)" : "")")
                if !s.conflictingVersions.isEmpty { say("  ! two devices amended this note at once; both versions are kept") }
                for line in s.note.split(separator: "\n", omittingEmptySubsequences: false) { say("  " + line) }
                for v in s.conflictingVersions.dropLast() {
                    say("  ! another version, by \(v.author):")
                    for line in v.text.split(separator: "\n", omittingEmptySubsequences: false) { say("    " + line) }
                }
            }
            let goals = state.goals(of: p.id)
            if !goals.isEmpty {
                say("\nGoals")
                for g in goals {
                    say("  [\(shortId(g.id))] \(g.text) — \(g.status.label), progress \(g.progress.map { "\($0.score)" }.joined(separator: " → "))")
                }
            }
            let summaries = state.measureSummaries(of: p.id)
            if !summaries.isEmpty {
                say("\nMeasures")
                for s in summaries { say("  " + MeasureText.summary(s)) }
            }
            let conns = state.connections(of: p.id)
            if !conns.isEmpty {
                say("\nConnections")
                for c in conns { say("  [\(shortId(c.id))] \(state.services[c.serviceId]?.name ?? "?") — \(c.stage.label)\(c.accompanied ? ", accompanied first visit" : "")") }
            }
            let fus = state.followups(of: p.id)
            if !fus.isEmpty {
                say("\nFollow-ups")
                for f in fus {
                    let overdue = f.isOverdue(asOf: today) ? " (\(today.days(since: f.due))d overdue)" : ""
                    say("  [\(shortId(f.id))] \(f.due) \(f.status.label)\(overdue) \(f.reason ?? "")\(f.conflict.map { "  ! \($0)" } ?? "")")
                }
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a person's status (e.g. discharged, with a reason).")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String
        @Argument(help: "New status: \(PatientStatus.settable.map(\.rawValue).joined(separator: ", ")).") var status: PatientStatus
        @Option(help: "Why.") var reason: String?
        @Option(help: "Ending the case with follow-ups open: complete or cancel them.") var followups: FollowupDisposal?

        func run() throws {
            try changeStatus(data: data, asOf: asOf, output: output, patient: patient, status: status, reason: reason, followups: followups)
        }
    }

    struct Discharge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Discharge a person; their open follow-ups are completed or cancelled, never left on the queue.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String
        @Option(help: "Why (e.g. goals met).") var reason: String?
        @Option(help: "What to do with open follow-ups: complete or cancel (needed when some are open).") var followups: FollowupDisposal?

        func run() throws {
            try changeStatus(data: data, asOf: asOf, output: output, patient: patient, status: .discharged, reason: reason, followups: followups)
        }
    }

    /// Both `status` and `discharge`, through the one rule the app's status form uses.
    static func changeStatus(data: DataOptions, asOf: AsOfOption, output: JSONFlag, patient: String, status: PatientStatus,
                             reason: String?, followups: FollowupDisposal?) throws {
        let store = try data.open()
        defer { store.close() }
        let p = try unwrap(store.state.resolvePatient(patient))
        let input = StatusInput(patientId: p.id, status: status, date: asOf.today, reason: reason, openFollowups: followups)
        let bodies: [EventBody]
        switch Rules.changeStatus(input, state: store.state, context: asOf.rules(store)) {
        case .success(let b): bodies = b
        case .failure(let problems):
            let text = problems.items.map { $0.field == "followups" ? $0.message + " with --followups complete or --followups cancel" : $0.message }
            throw CLIError(text.joined(separator: "; "))
        }
        try store.append(bodies)
        if output.json { return try printJSON(PatientSummaryJSON(store.state.patients[p.id]!, state: store.state, asOf: asOf.today)) }
        say("\(shortId(p.id)) is now \(status.label)")
        let closed = bodies.count - 1
        if closed > 0, let f = followups { say("\(closed) open follow-up\(closed == 1 ? "" : "s") \(f == .complete ? "completed" : "cancelled")") }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Correct or add a person's details (only the fields given change).")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String
        @Option var name: String?
        @Option var preferredName: String?
        @Option var nhsNumber: String?
        @Option var dob: Day?
        @Option var phone: String?
        @Option var address: String?
        @Option var gpPractice: String?
        @Option(help: "Reassign to this worker id.") var worker: String?

        func run() throws {
            guard [name, preferredName, nhsNumber, dob?.description, phone, address, gpPractice, worker].contains(where: { $0 != nil }) else {
                throw CLIError("nothing to change: give at least one field")
            }
            let store = try data.open()
            defer { store.close() }
            let p = try unwrap(store.state.resolvePatient(patient))
            let input = DetailsInput(patientId: p.id, name: name, preferredName: preferredName, nhsNumber: nhsNumber, dateOfBirth: dob,
                                     phone: phone, address: address, gpPractice: gpPractice, worker: worker, date: asOf.today)
            let plan = try PatientCommand.plan(input, store: store, asOf: asOf)
            try store.append(plan.bodies)
            if output.json { return try printJSON(PatientDetailJSON(store.state.patients[p.id]!, state: store.state, asOf: asOf.today)) }
            say("Updated \(shortId(p.id)): \(plan.changed.joined(separator: ", "))")
        }
    }

    /// `update` and `consent`, through the rule the app's details form uses.
    static func plan(_ input: DetailsInput, store: CaseloadStore, asOf: AsOfOption) throws -> DetailsPlan {
        try unwrap(Rules.updateDetails(input, state: store.state, context: asOf.rules(store)))
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What changed in a person's details and consent, when and by whom (oldest first).")
        @OptionGroup var data: DataOptions
        @Argument(help: patientArgumentHelp) var patient: String

        func run() throws {
            let store = try data.open(.readOnly)
            let p = try unwrap(store.state.resolvePatient(patient))
            for e in DetailHistory.entries(about: p.id, in: try store.eventsOfAllJournals(), state: store.state) { say(DetailHistory.line(e)) }
        }
    }

    struct ConsentCmd: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "consent", abstract: "Record consent given or withdrawn.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @Argument(help: patientArgumentHelp) var patient: String
        @Argument(help: "socialPrescribing or shareWithGP.") var kind: ConsentKind
        @Flag(help: "Consent was withdrawn (default: given).") var withdrawn = false
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try data.open()
            defer { store.close() }
            let p = try unwrap(store.state.resolvePatient(patient))
            let input = DetailsInput(patientId: p.id, consent: [kind: !withdrawn], date: asOf.today)
            let recorded = try store.append(try PatientCommand.plan(input, store: store, asOf: asOf).bodies)
            if output.json {
                return try printJSON(ConsentJSON(patientId: p.id, kind: kind, given: !withdrawn, date: asOf.today, eventId: recorded[0].id))
            }
            say("Recorded: \(kind.label) consent \(withdrawn ? "withdrawn" : "given") for \(shortId(p.id))")
        }
    }
    struct Restrict: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Keep a record but stop using it (UK GDPR Article 18): off every list, no changes until unrestricted; reports still count it.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String
        @Option(help: "Why (e.g. she contests its accuracy).") var reason: String

        func run() throws {
            let store = try data.open()
            defer { store.close() }
            let p = try unwrap(store.state.resolvePatient(patient))
            try store.append(unwrap(Rules.restrict(patientId: p.id, reason: reason, state: store.state, context: asOf.rules(store))))
            if output.json { return try printJSON(PatientDetailJSON(store.state.patients[p.id]!, state: store.state, asOf: asOf.today)) }
            say("Restricted \(shortId(p.id)) since \(asOf.today): kept, off every list; unrestrict with caseload patient unrestrict \(shortId(p.id))")
        }
    }

    struct Unrestrict: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift a restriction: the record is back on the lists and can be changed.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String

        func run() throws {
            let store = try data.open()
            defer { store.close() }
            let p = try unwrap(store.state.resolvePatient(patient))
            try store.append(unwrap(Rules.unrestrict(patientId: p.id, state: store.state, context: asOf.rules(store))))
            if output.json { return try printJSON(PatientDetailJSON(store.state.patients[p.id]!, state: store.state, asOf: asOf.today)) }
            say("Unrestricted \(shortId(p.id)): back on the lists")
        }
    }

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a person (UK GDPR Article 17): their personal fields and notes made unreadable here and, after the next sync, everywhere; reports still count them.",
            discussion: "Needs an encrypted caseload. Cannot be undone. The reason is kept for the team: say why, never who.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String
        @Option(help: "Why (e.g. \"erasure request of 2026-11-30\"); no names.") var reason: String

        func run() throws {
            let store = try data.open()
            defer { store.close() }
            let p = try unwrap(store.state.resolvePatient(patient))
            try store.append(unwrap(Rules.erase(patientId: p.id, reason: reason, state: store.state, context: asOf.rules(store))))
            if output.json { return try printJSON(ErasureJSON(id: p.id.lowercasedString, erasedOn: asOf.today, reason: reason)) }
            say("Erased \(shortId(p.id)): their details and notes no longer open on this device, and will not on any other after it syncs; reports still count them")
        }
    }
}

struct ErasureJSON: Encodable {
    var id: String
    var erasedOn: Day
    var reason: String
}

enum MeasureText {
    static func number(_ v: Double) -> String { TwoDecimals.text(v) }

    static func score(_ m: Measure) -> String {
        switch m.score {
        case let .swemwbs(raw, metric)?: return "metric \(number(metric)) (raw \(raw))"
        case let .ucla3(total)?: return "total \(total)"
        case let .ons4(ls, w, h, a)?:
            return "life satisfaction \(ls) (\(Ons4Band.positive(ls).label)), worthwhile \(w) (\(Ons4Band.positive(w).label)), happiness \(h) (\(Ons4Band.positive(h).label)), anxiety \(a) (\(Ons4Band.anxiety(a).label))"
        case nil: return "incomplete"
        }
    }

    static func summary(_ s: MeasureSummary) -> String {
        var line = "\(s.instrument.label): baseline \(s.baseline.date) \(score(s.baseline))"
        if s.count > 1 {
            line += " → latest \(s.latest.date) \(score(s.latest))"
            let changes = s.changes()
            if !changes.isEmpty {
                // One reading per measure (each ONS4 item on its own), in the words every screen uses.
                line += " (" + changes.map { changes.count > 1 ? "\($0.measure.itemLabel) \($0.text)" : $0.text }.joined(separator: "; ") + ")"
            }
        }
        return line
    }
}
