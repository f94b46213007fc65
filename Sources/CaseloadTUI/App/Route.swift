/// A screen on the navigation stack. Esc pops; the bottom is the patient list (or first run).
public enum Route: Sendable, Hashable {
    case firstRun
    case patientList
    case patient
    case noteEditor
    case followupQueue
    /// New referrals not yet seen, with their age against the response deadline.
    case inbox
    case teamView
    case form
    case measureForm
    case search
    case help
    /// The discharge message to the GP.
    case letter
    /// What changed in the person's details and consent, and when (read from the journals).
    case history
    /// Figures for commissioners: the same report as `caseload report`.
    case reports
    /// Choosing a service to connect someone to.
    case servicePicker
    /// "You have an unsaved draft note": restore, discard or later.
    case draftOffer
    case confirmQuit
    /// Saving a contact: "Complete the follow-up due…?" or "Book the next try…?".
    case contactQuestion
    /// The referral form names someone already known: "Open a new episode for them?".
    case reReferralQuestion
    /// The person's screen says "may be a duplicate of…": merge the other record, or different people.
    case duplicateQuestion
}
