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
    public var input = ""
    public var error: String?
    public var date: Day

    public init(patientId: UUID, date: Day) {
        self.patientId = patientId
        self.date = date
    }
}
