/// Where the person is, for deciding which keys mean what and which appear in help.
public enum Context: String, Sendable, Hashable, CaseIterable {
    case patientList
    case filtering
    case patientTimeline
    case patientGoals
    case patientConnections
    case patientFollowups
    case noteEditor
    case followupQueue
    case inbox
    case teamView
    case form
    case measureForm
    case searchResults
    case help
    case letter
    case history
    case reports
    case servicePicker
    case draftOffer
    case confirmQuit
    case contactQuestion
    case reReferralQuestion
    case duplicateQuestion
    case firstRun

    static let patient: Set<Context> = [.patientTimeline, .patientGoals, .patientConnections, .patientFollowups]
    static let lists: Set<Context> = patient.union([.patientList, .followupQueue, .inbox, .teamView, .searchResults, .help, .letter, .history, .reports])
    static let browsing: Set<Context> = patient.union([.patientList, .followupQueue, .inbox, .teamView, .searchResults, .reports])

    /// What the help screen calls it.
    public var title: String {
        switch self {
        case .patientList: return "Patient list"
        case .filtering: return "Typing a filter"
        case .patientTimeline: return "Patient: timeline"
        case .patientGoals: return "Patient: goals and outcomes"
        case .patientConnections: return "Patient: connections"
        case .patientFollowups: return "Patient: follow-ups"
        case .noteEditor: return "Session note editor"
        case .followupQueue: return "Follow-up queue"
        case .inbox: return "Referral inbox"
        case .teamView: return "Team view"
        case .form: return "Form"
        case .measureForm: return "Measure questionnaire"
        case .searchResults: return "Search"
        case .help: return "Help"
        case .letter: return "Message to the GP"
        case .history: return "History of the person's details"
        case .servicePicker: return "Choosing a service to connect to"
        case .reports: return "Reports"
        case .draftOffer: return "Unsaved draft"
        case .confirmQuit: return "Quit?"
        case .contactQuestion: return "Saving a contact"
        case .reReferralQuestion: return "Referral of someone already known"
        case .duplicateQuestion: return "A likely duplicate"
        case .firstRun: return "First run"
        }
    }
}
