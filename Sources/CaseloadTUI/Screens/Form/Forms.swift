import CaseloadCore
import Foundation

/// The forms of the app: how each is laid out, and how a filled-in form becomes events.
/// Validation keeps every typed value and puts the problem beside the field.
enum Forms {
    static let yesNo = ["yes", "no", "not asked"]

    static func firstRun() -> FormState {
        FormState(purpose: .firstRun, title: "Welcome to Caseload: who is using it?", fields: [
            FormField(key: "name", label: "Your name", hint: "as colleagues know you, e.g. Amira Khan"),
            FormField(key: "team", label: "Team (optional)", hint: "e.g. North PCN link workers"),
        ])
    }

    static func addPatient(asOf: Day) -> FormState {
        FormState(purpose: .addPatient, title: "New referral", fields: [
            FormField(key: "name", label: "Name", hint: "full name, any script"),
            FormField(key: "preferred", label: "Preferred name"),
            FormField(key: "nhs", label: "NHS number", hint: "10 digits, e.g. 943 476 5919; the GP letter needs it"),
            FormField(key: "dob", label: "Date of birth", kind: .date, hint: "YYYY-MM-DD or DD/MM/YYYY"),
            FormField(key: "phone", label: "Phone"),
            FormField(key: "source", label: "Referral source", value: ReferralSource.gp.label,
                      choices: ReferralSource.allCases.map(\.label), hint: "←/→ to choose"),
            FormField(key: "referrer", label: "Referred by", hint: "e.g. Dr Patel"),
            FormField(key: "reasons", label: "Reasons", hint: "comma-separated: " + ReferralReason.allCases.map(\.label).joined(separator: ", ")),
            FormField(key: "referralDate", label: "Referral date", value: asOf.description, kind: .date, hint: "YYYY-MM-DD or DD/MM/YYYY, not after today"),
            FormField(key: "referralNote", label: "Referral note", hint: "what the referrer said, in a line"),
            FormField(key: "address", label: "Address", hint: "one line, commas between parts"),
            FormField(key: "gp", label: "GP practice", hint: "e.g. Riverside Surgery; the GP letter needs it"),
            FormField(key: "consentSP", label: "Consent to support", value: "not asked", choices: yesNo,
                      hint: "consent to social prescribing support; ←/→ to choose"),
            FormField(key: "consentGP", label: "Consent: share with GP", value: "not asked", choices: yesNo, hint: "←/→ to choose"),
            FormField(key: "due", label: "First follow-up", value: asOf.adding(days: 1).description, kind: .date, hint: "YYYY-MM-DD, empty for none"),
            FormField(key: "dueReason", label: "Follow-up reason", value: "first call"),
        ])
    }

    /// The person's details as recorded, to correct, and each consent: given or withdrawn
    /// once asked ("not asked" is offered only until it is). Through `Rules.updateDetails`, as
    /// `caseload patient update` and `patient consent`.
    /// The confirm before erasing: the title names the person, says it cannot be undone, and
    /// the word `erase` must be typed, so no stray Enter erases anyone.
    static func erase(_ p: Patient) -> FormState {
        FormState(purpose: .erase(patientId: p.id), title: "Erase \(p.name)? Cannot be undone; unreadable on every device",
                  fields: [FormField(key: "reason", label: "Reason", hint: "why, not who (details and notes go, reports still count them)"),
                           FormField(key: "confirm", label: "Type erase", hint: "to confirm; Esc keeps the record")])
    }

    /// The confirm before restricting: the title names the person and says what follows.
    static func restrict(_ p: Patient) -> FormState {
        FormState(purpose: .restrict(patientId: p.id), title: "Restrict \(p.name)? Kept, but off every list and not changeable",
                  fields: [FormField(key: "reason", label: "Reason", hint: "why (e.g. contests the record); Enter restricts, Esc keeps it in use")])
    }

    static func editDetails(_ p: Patient) -> FormState {
        func consent(_ kind: ConsentKind, _ key: String) -> FormField {
            let now = p.consent[kind].map { $0.given ? "yes" : "no" } ?? "not asked"
            // Labels short enough to show whole at 80 columns.
            return FormField(key: key, label: kind == .socialPrescribing ? "Consent to support" : "Consent: share with GP", value: now,
                             choices: p.consent[kind] == nil ? yesNo : ["yes", "no"], hint: "consent to \(kind.label); ←/→: yes given, no withdrawn (dated today)")
        }
        return FormState(purpose: .editDetails(patientId: p.id), title: "Details of \(p.name) (each change is kept in the history, H)", fields: [
            FormField(key: "preferred", label: "Preferred name", value: p.preferredName ?? ""),
            FormField(key: "phone", label: "Phone", value: p.phone ?? ""),
            FormField(key: "address", label: "Address", value: p.address.map(oneLine) ?? "", hint: "one line, commas between parts"),
            FormField(key: "nhs", label: "NHS number", value: p.nhsNumber?.formatted ?? "", hint: "10 digits, e.g. 943 476 5919"),
            FormField(key: "dob", label: "Date of birth", value: p.dateOfBirth?.description ?? "", kind: .date, hint: "YYYY-MM-DD or DD/MM/YYYY"),
            FormField(key: "gp", label: "GP practice", value: p.gpPractice ?? "", hint: "e.g. Riverside Surgery"),
            consent(.socialPrescribing, "consentSP"),
            consent(.shareWithGP, "consentGP"),
        ])
    }

    /// An address typed on several lines, as the form's one line shows it.
    static func oneLine(_ text: String) -> String { text.split(whereSeparator: \.isNewline).joined(separator: ", ") }

    static func addGoal(patientId: UUID) -> FormState {
        FormState(purpose: .addGoal(patientId: patientId), title: "New goal: what matters to them?", fields: [
            FormField(key: "text", label: "Goal", hint: "in their words"),
            FormField(key: "progress", label: "Progress now (0-10)", kind: .number(0...10), hint: "0 not started … 10 done; empty to skip"),
        ])
    }

    static func recordProgress(goal: Goal, asOf: Day) -> FormState {
        FormState(purpose: .recordProgress(goalId: goal.id), title: "Progress: \(goal.text)", fields: [
            FormField(key: "score", label: "Progress (0-10)", value: goal.latestProgress.map(String.init) ?? "", kind: .number(0...10)),
            FormField(key: "date", label: "Date", value: asOf.description, kind: .date, hint: "YYYY-MM-DD"),
        ])
    }

    static func addFollowup(patientId: UUID, asOf: Day) -> FormState {
        FormState(purpose: .addFollowup(patientId: patientId), title: "Book a follow-up", fields: [
            FormField(key: "due", label: "Due", value: asOf.adding(days: 7).description, kind: .date, hint: "YYYY-MM-DD"),
            FormField(key: "reason", label: "Reason", hint: "e.g. check in after the walking group"),
        ])
    }

    /// Choices for what happens to open follow-ups when a case ends: none chosen until the person says.
    static let followupChoices = ["(choose)"] + FollowupDisposal.allCases.map(\.label)

    /// "Did not attend" is not offered: it is a contact's outcome now. With follow-ups open, the
    /// form asks what to do with them should the case end.
    static func changeStatus(patient: Patient, asOf: Day, openFollowups: Int = 0) -> FormState {
        let current = PatientStatus.settable.contains(patient.status) ? patient.status : .active
        var fields = [
            FormField(key: "status", label: "Status", value: current.label,
                      choices: PatientStatus.settable.map(\.label), hint: "←/→ to choose"),
            FormField(key: "reason", label: "Reason", hint: "e.g. goals met, ready for discharge"),
            FormField(key: "date", label: "Date", value: asOf.description, kind: .date, hint: "YYYY-MM-DD"),
        ]
        if openFollowups > 0 {
            fields.append(FormField(key: "followups", label: "\(openFollowups) open follow-up\(openFollowups == 1 ? "" : "s")",
                                    value: followupChoices[0], choices: followupChoices, hint: "if the case ends: ←/→ complete or cancel"))
        }
        return FormState(purpose: .changeStatus(patientId: patient.id), title: "Change status of \(patient.name)", fields: fields)
    }

    static let noKnownRisks = "no known risks"

    /// The risk register from the person's screen: record a risk, resolve an open one, or say
    /// there are no known risks, through the rules `caseload risk` uses.
    static func risk(patient: Patient, risks open: [Risk], asOf: Day) -> FormState {
        let choices = RiskKind.allCases.map(\.label) + [noKnownRisks] + open.map { "resolve: \($0.kind.label) since \($0.date)" }
        return FormState(purpose: .risk(patientId: patient.id), title: "Risks: \(patient.name)", fields: [
            FormField(key: "what", label: "Record", value: choices[0], choices: choices, hint: "←/→ to choose"),
            FormField(key: "note", label: "Note", hint: "what the risk is (needed for other); for resolving, why"),
            FormField(key: "raisedWith", label: "Raised with", hint: "a safeguarding concern: to whom"),
            FormField(key: "date", label: "Date", value: asOf.description, kind: .date, hint: "YYYY-MM-DD"),
        ])
    }

    static let newService = "(a new service)"

    static func addConnection(patientId: UUID, services: [Service]) -> FormState {
        let names = services.map(\.name).sorted() + [newService]
        return FormState(purpose: .addConnection(patientId: patientId), title: "Connect to a community service", fields: [
            FormField(key: "service", label: "Service", value: names[0], choices: names, hint: "←/→ to choose"),
            FormField(key: "newName", label: "New service name", hint: "only for a new service"),
            FormField(key: "newAddress", label: "  its place", hint: "e.g. Riverside Library, RV1 3CD"),
            FormField(key: "newTimes", label: "  its days and times", hint: "e.g. Thu, Fri 10:00-18:00"),
            FormField(key: "newContact", label: "  its contact", hint: "a name, phone or e-mail"),
            FormField(key: "stage", label: "Stage", value: ConnectionStage.suggested.label,
                      choices: ConnectionStage.allCases.map(\.label), hint: "←/→ to choose"),
            FormField(key: "route", label: "Signposted or referred", value: ConnectionRoute.signposted.label,
                      choices: ConnectionRoute.allCases.map(\.label), hint: "signposted: told about it; referred: the service was contacted for them"),
            FormField(key: "accompanied", label: "Accompanied first visit", value: "no", choices: ["no", "yes"], hint: "←/→ to choose"),
        ])
    }

    /// Where to save the message to the GP: the format, the folder (the last one used) and a
    /// file name that names no one.
    static func saveLetter(_ summary: GPSummary, folder: String) -> FormState {
        FormState(purpose: .saveLetter(patientId: summary.patientId), title: "Save the message to the GP to a file", fields: [
            FormField(key: "format", label: "Format", value: GPSummary.Format.html.label,
                      choices: GPSummary.Format.allCases.map(\.label), hint: "←/→ to choose"),
            FormField(key: "folder", label: "Folder", value: folder, hint: "remembered for next time"),
            FormField(key: "file", label: "File name", hint: "empty: \(summary.fileName(.html)) (ending to match the format)"),
        ])
    }

    /// The title names the person: from the queue, the row that was selected is no longer on screen.
    static func reschedule(followup: Followup, patientName: String?, to day: Day, focusReason: Bool) -> FormState {
        let whose = patientName.map { " with \($0)" } ?? ""
        return FormState(purpose: .reschedule(followupId: followup.id), title: "Reschedule the follow-up\(whose) due \(followup.due)", fields: [
            FormField(key: "due", label: "New date", value: day.description, kind: .date, hint: "YYYY-MM-DD"),
            FormField(key: "reason", label: "Reason", hint: "e.g. no answer"),
        ], focus: focusReason ? 1 : 0)
    }

    /// The problem with one field's value, checked as the person leaves the field, so a
    /// mistyped NHS number or date is caught at once rather than on saving.
    static func check(_ field: FormField, state: AppState) -> String? {
        guard !field.trimmed.isEmpty, !field.isChoice else { return nil }
        if let problem = field.problem(asOf: state.asOf) { return problem }
        switch field.key {
        case "nhs":
            switch NHSNumber.parse(field.trimmed) {
            case .failure(let problem): return problem.description
            case .success(let n):
                var editing: UUID?
                if case .editDetails(let id)? = state.form?.purpose { editing = id }
                if let other = state.caseload.patients.values.first(where: { $0.nhsNumber == n && $0.id != editing }) {
                    // A case that has ended is referred again: saving the form offers a new episode.
                    if editing == nil, !other.status.isOpen { return nil }
                    return "already on the caseload (\(other.status.label)); search for them instead"
                }
                return nil
            }
        case "dob":
            return field.day.flatMap { RecordLimits.dateOfBirthProblem($0, today: state.asOf) }
        default:
            return nil
        }
    }

    /// What submitting produces: events to append, or the form back with its problems marked.
    enum Outcome {
        case append([EventBody], SavePurpose)
        case initialize(name: String, team: String?)
        case writeFile(path: String, contents: String)
        case invalid(FormState)
        /// The referral names someone already known: ask before adding a second record.
        case askAboutKnownPerson(ReReferralQuestion)
    }

    static func submit(_ form: FormState, state: AppState, ids: inout IdSource) -> Outcome {
        var f = form
        for i in f.fields.indices { f.fields[i].error = nil }
        f.message = nil
        let trimmed = { (key: String) in f[key].trimmingCharacters(in: .whitespacesAndNewlines) }
        /// The field's value read for its kind, or nil with the problem marked on it.
        func parsed<T>(_ key: String, required: Bool, _ read: (FormField) -> T?) -> T? {
            guard let field = f.fields.first(where: { $0.key == key }) else { return nil }
            if field.trimmed.isEmpty {
                if required { f.setError(key, field.missingProblem) }
                return nil
            }
            if let problem = field.problem(asOf: state.asOf) { f.setError(key, problem); return nil }
            return read(field)
        }
        func day(_ key: String, required: Bool) -> Day? { parsed(key, required: required, \.day) }
        func score(_ key: String, required: Bool) -> Int? { parsed(key, required: required, \.number) }
        func required(_ key: String, _ what: String) -> String {
            let t = trimmed(key)
            if t.isEmpty { f.setError(key, "\(what) is needed") }
            return t
        }
        func invalid() -> Outcome {
            f.focusFirstError()
            f.message = "Nothing saved yet: fix the marked fields."
            return .invalid(f)
        }
        /// A rule's events, or its problems on the fields they name (the rules use the forms'
        /// field keys); a problem with no field of its own is the form's message.
        func ruled(_ r: Rules.Outcome, _ description: String) -> Outcome {
            switch r {
            case .success(let bodies): return .append(bodies, .change(description: description))
            case .failure(let problems):
                var general: [String] = []
                for p in problems.items {
                    if f.fields.contains(where: { $0.key == p.field }) { f.setError(p.field, p.message) } else { general.append(p.message) }
                }
                if f.hasErrors { return invalid() }
                f.message = general.joined(separator: "; ")
                return .invalid(f)
            }
        }

        switch form.purpose {
        case .firstRun:
            let name = required("name", "your name")
            if f.hasErrors { return invalid() }
            let team = trimmed("team")
            return .initialize(name: name, team: team.isEmpty ? nil : team)

        case .addPatient:
            _ = required("name", "a name")
            // The NHS number as the field says it on leaving; the rule below has the last word.
            if let nhs = f.fields.first(where: { $0.key == "nhs" }), let problem = check(nhs, state: state) { f.setError("nhs", problem) }
            let dob = day("dob", required: false)
            let referralDate = day("referralDate", required: true)
            var reasons: [ReferralReason] = []
            for part in trimmed("reasons").split(whereSeparator: { $0 == "," || $0 == ";" }) {
                let word = part.trimmingCharacters(in: .whitespaces)
                guard !word.isEmpty else { continue }
                if let r = ReferralReason.parse(word) { reasons.append(r) } else {
                    f.setError("reasons", "'\(word)' is not a reason; choose from: \(ReferralReason.allCases.map(\.label).joined(separator: ", "))")
                }
            }
            let due = day("due", required: false)
            if f.hasErrors { return invalid() }
            let source = ReferralSource.allCases.first { $0.label == f["source"] } ?? .other
            var consent: [ConsentKind: Bool] = [:]
            for (kind, key) in [(ConsentKind.socialPrescribing, "consentSP"), (.shareWithGP, "consentGP")] where f[key] != "not asked" {
                consent[kind] = f[key] == "yes"
            }
            let input = ReferralInput(name: trimmed("name"), preferredName: trimmed("preferred"), nhsNumber: trimmed("nhs"), dateOfBirth: dob,
                                      phone: trimmed("phone"), address: trimmed("address"), gpPractice: trimmed("gp"), worker: state.workerId,
                                      referral: Referral(date: referralDate!, source: source, referrer: trimmed("referrer"), reasons: reasons,
                                                         text: trimmed("referralNote")),
                                      consent: consent, firstFollowup: due, followupReason: trimmed("dueReason"))
            let nhs = trimmed("nhs").isEmpty ? nil : try? NHSNumber.parse(trimmed("nhs")).get()
            if let match = state.caseload.knownPerson(nhsNumber: nhs, name: input.name, dateOfBirth: dob), match.patientId != form.addingAlongside,
               let known = state.caseload.patients[match.patientId] {
                // An open case with the same NHS number was refused above ("search for them instead").
                let again = ReReferralInput(patientId: known.id, referral: input.referral, worker: state.workerId,
                                            firstFollowup: due, followupReason: due == nil ? nil : input.followupReason)
                return .askAboutKnownPerson(ReReferralQuestion(match: match, kind: known.status.isOpen ? .openCase : .newEpisode, input: again))
            }
            let id = ids.next()
            switch Rules.refer(input, state: state.caseload, context: state.ruleContext, patientId: id, followupId: due == nil ? id : ids.next()) {
            case .failure(let problems):
                let keys = ["name": "name", "preferredName": "preferred", "nhsNumber": "nhs", "dateOfBirth": "dob", "phone": "phone",
                            "address": "address", "gpPractice": "gp", "referrer": "referrer", "referralDate": "referralDate",
                            "referralNote": "referralNote", "followup": "due", "followupReason": "dueReason"]
                for problem in problems.items { f.setError(keys[problem.field] ?? "name", problem.message) }
                return invalid()
            case .success(let bodies):
                return .append(bodies, .patientAdded(id))
            }

        case .restrict(let patientId):
            switch Rules.restrict(patientId: patientId, reason: trimmed("reason"), state: state.caseload, context: state.ruleContext) {
            case .failure(let problems):
                for p in problems.items { f.setError("reason", p.message) }
                return invalid()
            case .success(let bodies):
                return .append(bodies, .change(description: "restricted \(state.caseload.patients[patientId]?.name ?? "the record"): off every list (u undoes)"))
            }

        case .erase(let patientId):
            guard trimmed("confirm").lowercased() == "erase" else {
                f.setError("confirm", "type erase to confirm (Esc keeps the record)")
                return invalid()
            }
            switch Rules.erase(patientId: patientId, reason: trimmed("reason"), state: state.caseload, context: state.ruleContext) {
            case .failure(let problems):
                for p in problems.items { f.setError(p.field == "reason" ? "reason" : "confirm", p.message) }
                return invalid()
            case .success(let bodies):
                return .append(bodies, .erased)
            }

        case .editDetails(let patientId):
            guard let p = state.caseload.patients[patientId] else { return invalid() }
            let dob = day("dob", required: false)
            if dob == nil, trimmed("dob").isEmpty, p.dateOfBirth != nil { f.setError("dob", "a date of birth cannot be removed, only corrected") }
            if f.hasErrors { return invalid() }
            var consent: [ConsentKind: Bool] = [:]
            for (kind, key) in [(ConsentKind.socialPrescribing, "consentSP"), (.shareWithGP, "consentGP")] where f[key] != "not asked" {
                let given = f[key] == "yes"
                if p.consent[kind]?.given != given { consent[kind] = given }
            }
            let input = DetailsInput(patientId: patientId, preferredName: trimmed("preferred"), nhsNumber: trimmed("nhs"), dateOfBirth: dob,
                                     phone: trimmed("phone"), address: trimmed("address") == p.address.map(oneLine) ? nil : trimmed("address"),
                                     gpPractice: trimmed("gp"), consent: consent, date: state.asOf)
            switch Rules.updateDetails(input, state: state.caseload, context: state.ruleContext) {
            case .failure(let problems):
                let keys = ["preferredName": "preferred", "phone": "phone", "address": "address", "nhsNumber": "nhs", "dateOfBirth": "dob", "gpPractice": "gp"]
                var general: [String] = []
                for problem in problems.items {
                    if let key = keys[problem.field] { f.setError(key, problem.message) } else { general.append(problem.message) }
                }
                if f.hasErrors { return invalid() }
                f.message = general.joined(separator: "; ")
                return .invalid(f)
            case .success(let plan):
                return .append(plan.bodies, .change(description: plan.changed.joined(separator: ", ")))
            }

        case .addGoal(let patientId):
            let text = required("text", "the goal")
            let progress = score("progress", required: false)
            if f.hasErrors { return invalid() }
            return ruled(Rules.addGoal(patientId: patientId, text: text, progress: progress, date: state.asOf, state: state.caseload,
                                       context: state.ruleContext, goalId: ids.next()), "goal added")

        case .recordProgress(let goalId):
            let s = score("score", required: true)
            let d = day("date", required: true)
            if f.hasErrors { return invalid() }
            return ruled(Rules.recordProgress(goalId: goalId, score: s!, date: d!, state: state.caseload, context: state.ruleContext), "progress recorded")

        case .addFollowup(let patientId):
            let d = day("due", required: true)
            if f.hasErrors { return invalid() }
            return ruled(Rules.bookFollowup(patientId: patientId, due: d!, reason: trimmed("reason"), state: state.caseload,
                                            context: state.ruleContext, followupId: ids.next()), "follow-up booked for \(d!)")

        case .changeStatus(let patientId):
            let d = day("date", required: true)
            if f.hasErrors { return invalid() }
            let status = PatientStatus.settable.first { $0.label == f["status"] } ?? .active
            let reason = trimmed("reason")
            let disposal = FollowupDisposal.allCases.first { $0.label == f["followups"] }
            let input = StatusInput(patientId: patientId, status: status, date: d!, reason: reason.isEmpty ? nil : reason, openFollowups: disposal)
            switch Rules.changeStatus(input, state: state.caseload, context: state.ruleContext) {
            case .failure(let problems):
                for p in problems.items { f.setError(["followups", "date", "reason"].contains(p.field) ? p.field : "status", p.message) }
                return invalid()
            case .success(let bodies):
                let closed = bodies.count - 1
                let what = closed > 0 ? ", \(closed) follow-up\(closed == 1 ? "" : "s") \(disposal == .complete ? "completed" : "cancelled")" : ""
                return .append(bodies, .change(description: "status changed to \(status.label)\(what)"))
            }

        case .addConnection(let patientId):
            let serviceId: UUID
            var byHand: ServiceAdded?
            if f["service"] == newService {
                serviceId = ids.next()
                let optional = { (key: String) -> String? in trimmed(key).isEmpty ? nil : trimmed(key) }
                byHand = ServiceAdded(serviceId: serviceId, name: trimmed("newName"), contact: optional("newContact"),
                                          address: optional("newAddress"), times: optional("newTimes"))
            } else if let s = state.caseload.services.values.first(where: { $0.name == f["service"] && $0.isListed }) {
                serviceId = s.id
            } else {
                f.setError("service", "choose a service")
                return invalid()
            }
            let input = ConnectionInput(patientId: patientId, serviceId: serviceId,
                                        stage: ConnectionStage.allCases.first { $0.label == f["stage"] } ?? .suggested,
                                        accompanied: f["accompanied"] == "yes", route: ConnectionRoute.allCases.first { $0.label == f["route"] },
                                        newService: byHand)
            let bodies: [EventBody]
            switch Rules.connect(input, state: state.caseload, context: state.ruleContext, connectionId: ids.next()) {
            case .failure(let problems):
                for p in problems.items { f.setError(p.field == "patient" ? "service" : p.field, p.message) }
                return invalid()
            case .success(let b): bodies = b
            }
            return .append(bodies, .change(description: "connection added"))

        case .saveLetter(let patientId):
            let format = GPSummary.Format.allCases.first { $0.label == f["format"] } ?? .html
            let folder = required("folder", "a folder")
            if !folder.isEmpty, !folder.hasPrefix("/") { f.setError("folder", "give the whole path, starting with /") }
            let file = trimmed("file")
            if file.contains("/") { f.setError("file", "a file name only; the folder goes above") }
            guard !f.hasErrors, let summary = GPLetter.summary(patientId, state) else { return invalid() }
            let name = file.isEmpty ? summary.fileName(format) : file
            let path = (folder as NSString).appendingPathComponent(name)
            return .writeFile(path: path, contents: summary.rendered(format))

        case .risk(let patientId):
            let d = day("date", required: true)
            if f.hasErrors { return invalid() }
            let note = trimmed("note"), raised = trimmed("raisedWith")
            let result: Result<[EventBody], Problems<FieldProblem>>
            let description: String
            if let kind = RiskKind.allCases.first(where: { $0.label == f["what"] }) {
                result = Rules.recordRisk(RiskInput(patientId: patientId, kind: kind, note: note.isEmpty ? nil : note,
                                                    raisedWith: raised.isEmpty ? nil : raised, date: d!), state: state.caseload, context: state.ruleContext,
                                            riskId: ids.next())
                description = "risk recorded: \(kind.label)"
            } else if f["what"] == noKnownRisks {
                result = Rules.recordNoKnownRisks(patientId: patientId, date: d!, state: state.caseload, context: state.ruleContext)
                description = "no known risks"
            } else if let r = state.caseload.risks(of: patientId).first(where: { $0.isOpen && "resolve: \($0.kind.label) since \($0.date)" == f["what"] }) {
                result = Rules.resolveRisk(r.id, reason: note.isEmpty ? nil : note, state: state.caseload, context: state.ruleContext)
                description = "risk resolved: \(r.kind.label)"
            } else {
                f.setError("what", "choose what to record")
                return invalid()
            }
            switch result {
            case .failure(let problems):
                for p in problems.items { f.setError(["note", "raisedWith", "date"].contains(p.field) ? p.field : "what", p.message) }
                return invalid()
            case .success(let bodies):
                return .append(bodies, .change(description: description))
            }

        case .reschedule(let followupId):
            let d = day("due", required: true)
            if f.hasErrors { return invalid() }
            return ruled(Rules.rescheduleFollowup(followupId, to: d!, reason: trimmed("reason"), state: state.caseload, context: state.ruleContext),
                         "follow-up moved to \(d!)")
        }
    }
}
