import CaseloadCore
import Foundation

/// Recording a questionnaire item by item, with each question's text on screen.
public struct MeasureFormState: Sendable, Hashable {
    public var patientId: UUID
    public var instrument: Instrument = .swemwbs
    /// nil while choosing the instrument; then the index of the current item; `items.count`
    /// on the summary page.
    public var step: Int?
    public var answers: [Int] = []
    public var input = TextInput()
    public var error: String?
    public var date: Day
    /// `input` holds an earlier answer brought back by Backspace: the next digit replaces it.
    public var prefilled = false
    /// Esc was pressed once with answers given: a second Esc discards them.
    public var confirmingDiscard = false

    /// Whether leaving now would lose anything typed.
    public var hasAnswers: Bool { !answers.isEmpty || !input.isEmpty }

    /// Questionnaires are often done on paper and entered later: up to a year back, never ahead.
    public static let daysBack = 366

    public init(patientId: UUID, date: Day) {
        self.patientId = patientId
        self.date = date
    }
}
