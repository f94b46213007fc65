import CaseloadCore
import Foundation

/// Editing and submitting forms.
extension AppState {
    /// Esc on a form with typing in it asks first; a second Esc discards it. Typing goes into
    /// the focused field; nil hands the key on to the key table.
    mutating func formKey(_ key: Key) -> [Effect]? {
        if route == .form, var f = form {
            let asked = escapeAsksFirst(key, typed: f.hasChanges, confirming: &f.confirmingDiscard,
                                        StatusMessage("Discard what you typed? Esc again discards it; any other key carries on", kind: .info,
                                                      shorter: ["Discard? Esc again discards; other keys carry on", "Esc again discards"]))
            form = f
            if asked { return [] }
        }
        if let c = key.typedCharacter, var f = form, !f.fields[f.focus].isChoice {
            f.fields[f.focus].insert(String(c))
            form = f
            return []
        }
        return nil
    }

    /// A paste goes into the focused field (on one line).
    mutating func formPaste(_ text: String) -> [Effect] {
        if var f = form {
            f.fields[f.focus].insert(text)
            form = f
        }
        return []
    }

    mutating func formPerform(_ action: Action) -> [Effect]? {
        switch action {
        case .nextField, .prevField:
            if var f = form {
                f.fields[f.focus].error = Forms.check(f.fields[f.focus], state: self)
                f.focus = clamp(f.focus + (action == .nextField ? 1 : -1), f.fields.count)
                form = f
            }
            return []
        case .choiceNext, .choicePrev:
            if var f = form {
                f.fields[f.focus].cycle(action == .choiceNext ? 1 : -1)
                form = f
            }
            return []
        case .submit: return formEnter()
        case .save: return submitForm()
        case .deleteBackward, .deleteForward, .cursorLeft, .cursorRight, .lineStart, .lineEnd, .clearField: return formEdit(action)
        default: return nil
        }
    }

    /// An editing action from the key table on the focused field.
    mutating func formEdit(_ action: Action) -> [Effect] {
        guard var f = form else { return [] }
        var field = f.fields[f.focus]
        switch action {
        case .deleteBackward: field.backspace()
        case .deleteForward: field.deleteForward()
        case .cursorLeft, .cursorRight:
            let delta = action == .cursorRight ? 1 : -1
            if field.isChoice { field.cycle(delta) } else { field.input.move(by: delta) }
        case .lineStart: field.input.moveToStart()
        case .lineEnd: field.input.moveToEnd()
        case .clearField where !field.isChoice:
            field.input.clear()
        default: return []
        }
        f.fields[f.focus] = field
        form = f
        return []
    }

    /// Enter: the next field, or submit on the last one.
    mutating func formEnter() -> [Effect] {
        guard var f = form else { return [] }
        if f.focus + 1 < f.fields.count {
            f.fields[f.focus].error = Forms.check(f.fields[f.focus], state: self)
            f.focus += 1
            form = f
            return []
        }
        return submitForm()
    }

    mutating func submitForm() -> [Effect] {
        guard let f = form else { return [] }
        var ids = self.ids
        defer { self.ids = ids }
        switch Forms.submit(f, state: self, ids: &ids) {
        case .invalid(let marked):
            form = marked
            status = StatusMessage(marked.message ?? "Check the form", kind: .error)
            return []
        case .append(let bodies, let purpose):
            status = StatusMessage("Saving…")
            return [.append(bodies, purpose: purpose)]
        case .initialize(let name, let team):
            status = StatusMessage("Setting up…")
            return [.initialize(workerName: name, team: team)]
        case .writeFile(let path, let contents):
            status = StatusMessage("Saving…")
            return [.writeFile(path: path, contents: contents)]
        case .askAboutKnownPerson(let question):
            if var f = form {
                for i in f.fields.indices { f.fields[i].error = nil }
                f.message = nil
                form = f
            }
            status = nil
            reReferralQuestion = question
            push(.reReferralQuestion)
            return []
        }
    }

    /// y / n to "open a new episode for them?". Yes refers them again through the rule
    /// `caseload patient refer` uses; no goes back to the form for an NHS number (it is
    /// theirs), or adds the new person for a name and date of birth that only look alike.
    mutating func answerReReferralQuestion(_ yes: Bool) -> [Effect] {
        guard let q = reReferralQuestion, let known = caseload.patients[q.match.patientId] else { return back() }
        reReferralQuestion = nil
        routes.removeAll { $0 == .reReferralQuestion }
        switch (q.kind, yes) {
        case (.newEpisode, true):
            switch Rules.referAgain(q.input, state: caseload, context: ruleContext, followupId: ids.next()) {
            case .failure(let problems):
                let keys = ["reasons": "reasons", "date": "referralDate", "referrer": "referrer", "note": "referralNote",
                            "followup": "due", "followupReason": "dueReason"]
                var general: [String] = []
                for problem in problems.items {
                    if let key = keys[problem.field] { form?.setError(key, problem.message) } else { general.append(problem.message) }
                }
                form?.focusFirstError()
                form?.message = general.isEmpty ? "Nothing saved yet: fix the marked fields." : general.joined(separator: "; ")
                status = StatusMessage("Not referred again yet: \(problems.items.first?.message ?? "check the form")", kind: .error,
                                       shorter: ["Not referred again yet: see the form"])
                return []
            case .success(let bodies):
                status = StatusMessage("Saving…")
                return [.append(bodies, purpose: .referredAgain(known.id))]
            }
        case (.newEpisode, false) where q.match.byNHSNumber:
            form?.setError("nhs", "is \(known.name)'s (\(known.status.label)): correct it, or save to refer them again")
            if let i = form?.fields.firstIndex(where: { $0.key == "nhs" }) { form?.focus = i }
            status = StatusMessage("Nothing saved: the NHS number is \(known.name)'s", shorter: ["Nothing saved: NHS number already known"])
            return []
        case (.newEpisode, false), (.openCase, true):
            // Someone else with the same name and date of birth: added as a new person.
            form?.addingAlongside = known.id
            return submitForm()
        case (.openCase, false):
            status = StatusMessage("Nothing saved: \(known.name) is already on the caseload", shorter: ["Nothing saved"])
            return []
        }
    }
}
