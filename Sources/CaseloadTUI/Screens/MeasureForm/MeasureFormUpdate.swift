import CaseloadCore
import Foundation

/// The questionnaire form: choose the instrument, answer each item, check, save.
extension AppState {
    /// Esc with answers given asks first; a second Esc discards them, as on forms. Typing
    /// answers; nil hands the key on.
    mutating func measureKey(_ key: Key) -> [Effect]? {
        if var m = measure {
            let asked = escapeAsksFirst(key, typed: m.hasAnswers, confirming: &m.confirmingDiscard,
                                        StatusMessage("Discard the answers? Esc again discards them; any other key carries on", kind: .info,
                                                      shorter: ["Discard answers? Esc again discards", "Esc again discards"]))
            measure = m
            if asked { return [] }
        }
        if let c = key.typedCharacter, c != "q" || measure?.step != nil {
            return measureType(c)
        }
        return nil
    }

    mutating func measurePerform(_ action: Action) -> [Effect]? {
        switch action {
        case .choiceNext, .choicePrev: return measureChoose(action == .choiceNext ? 1 : -1)
        case .submit: return measureSubmit()
        case .deleteBackward: return measureBackspace()
        default: return nil
        }
    }

    mutating func measureChoose(_ delta: Int) -> [Effect] {
        guard var m = measure, m.step == nil else { return [] }
        let all = Instrument.allCases
        m.instrument = all[(all.firstIndex(of: m.instrument)! + delta + all.count) % all.count]
        measure = m
        return []
    }

    mutating func measureType(_ c: Character) -> [Effect] {
        guard var m = measure else { return [] }
        if m.step == nil {
            // 1/2/3 pick an instrument directly; - and + move the date it was done on.
            if let n = c.wholeNumberValue, Instrument.allCases.indices.contains(n - 1) { m.instrument = Instrument.allCases[n - 1] }
            if c == "-", m.date > asOf.adding(days: -MeasureFormState.daysBack) { m.date = m.date.adding(days: -1) }
            if c == "+" || c == "=", m.date < asOf { m.date = m.date.adding(days: 1) }
        } else if c.isNumber {
            // Typing over an earlier answer brought back to change it replaces it.
            if m.prefilled { m.input.clear(); m.prefilled = false }
            guard m.input.text.count < 2 else { return [] }
            m.input.insert(String(c))
            m.error = nil
        }
        measure = m
        return []
    }

    /// Backspace erases the answer being typed, or goes back to the previous item to change it.
    mutating func measureBackspace() -> [Effect] {
        guard var m = measure, let step = m.step else { return [] }
        if !m.input.isEmpty {
            m.input.deleteBackward()
            m.prefilled = false
        } else if step > 0, let last = m.answers.popLast() {
            m.step = step - 1
            m.input = TextInput(String(last))
            m.prefilled = true
        }
        m.error = nil
        measure = m
        return []
    }

    /// Enter: start, take this answer (checked against the item's range), or save at the end.
    mutating func measureSubmit() -> [Effect] {
        guard var m = measure else { return [] }
        let items = m.instrument.items
        guard let step = m.step else {
            m.step = 0
            measure = m
            return []
        }
        if step < items.count {
            let item = items[step]
            guard let n = Int(m.input.text), item.range.contains(n) else {
                m.error = "Answer \(item.range.lowerBound) to \(item.range.upperBound)"
                measure = m
                return []
            }
            m.answers.append(n)
            m.input.clear()
            m.error = nil
            m.step = step + 1
            measure = m
            return []
        }
        switch Rules.recordMeasure(patientId: m.patientId, instrument: m.instrument, answers: m.answers, date: m.date, state: caseload,
                                   context: ruleContext, measureId: ids.next()) {
        case .failure(let problems):
            m.error = problems.items.map(\.message).joined(separator: "; ")
            measure = m
            return []
        case .success(let bodies):
            return [.append(bodies, purpose: .change(description: "\(m.instrument.label) recorded"))]
        }
    }
}
