import CaseloadCore
import Foundation

/// What a form is for: decides its fields and what submitting it appends.
public enum FormPurpose: Sendable, Hashable {
    case firstRun
    case addPatient
    case addGoal(patientId: UUID)
    case recordProgress(goalId: UUID)
    case addFollowup(patientId: UUID)
    case changeStatus(patientId: UUID)
    case addConnection(patientId: UUID)
    case reschedule(followupId: UUID)
    case saveLetter(patientId: UUID)
    case risk(patientId: UUID)
    /// Correcting the person's details and consent (`E`).
    case editDetails(patientId: UUID)
    /// Keeping the record but stopping its use (`X`): the form names the person and asks why.
    case restrict(patientId: UUID)
    case erase(patientId: UUID)
}

/// A form on screen: its fields, which has focus, and a message for the whole form.
public struct FormState: Sendable, Hashable {
    public var purpose: FormPurpose
    public var title: String
    public var fields: [FormField]
    public var focus = 0
    public var message: String?
    /// The values the form opened with, to tell whether Esc would throw typing away.
    let initialValues: [String]
    /// Esc was pressed once on a changed form: a second Esc discards it.
    var confirmingDiscard = false
    /// The known person this referral was said (on asking) to be someone else than: not asked again.
    var addingAlongside: UUID?

    public init(purpose: FormPurpose, title: String, fields: [FormField], focus: Int = 0) {
        self.purpose = purpose
        self.title = title
        self.fields = fields
        self.focus = focus
        initialValues = fields.map(\.value)
    }

    /// Whether anything was typed or chosen since the form opened.
    var hasChanges: Bool { fields.map(\.value) != initialValues }

    public subscript(key: String) -> String {
        get { fields.first { $0.key == key }?.value ?? "" }
        set { if let i = fields.firstIndex(where: { $0.key == key }) { fields[i].value = newValue } }
    }

    mutating func setError(_ key: String, _ message: String) {
        if let i = fields.firstIndex(where: { $0.key == key }) { fields[i].error = message }
    }

    var hasErrors: Bool { fields.contains { $0.error != nil } }

    /// Moves focus to the first field with a problem, so the person sees it at once.
    mutating func focusFirstError() {
        if let i = fields.firstIndex(where: { $0.error != nil }) { focus = i }
    }
}
