import CaseloadCore
import Foundation

/// The day's numbers in the header.
public struct HeaderCounts: Sendable, Hashable {
    public var patients = 0
    public var overdue = 0
    public var dueToday = 0
    public var newReferrals = 0
    /// Her open patients flagged for review (missed contacts in a row, or an older journal's
    /// "did not attend").
    public var review = 0
}

/// When this device last synced and how much of its own journal had gone out then.
public struct SyncStatus: Sendable, Hashable {
    public var device: UUID
    /// Milliseconds since 1970.
    public var lastAt: Int64
    public var pushedSeq: UInt64
    /// The folder last synced with (nil when the last sync was not through a folder).
    public var folder: String?
    /// The last sync was with the team's PostgreSQL server (remembered in sync.json): `Y` syncs there again.
    public var viaPostgres = false
    /// Per worker of the team: events their devices hold that the team server refused, as it
    /// said at that sync (the team view shows them).
    public var notOnServer: [String: Int] = [:]
    public init(device: UUID, lastAt: Int64, pushedSeq: UInt64, folder: String? = nil) {
        self.device = device; self.lastAt = lastAt; self.pushedSeq = pushedSeq; self.folder = folder
    }

    /// This device's events written since that sync.
    public func waiting(in caseload: CaseloadState) -> Int {
        let top = caseload.seqByDevice[device] ?? 0
        return Int(top - min(top, pushedSeq))
    }

    /// "last sync 14:02 · 3 waiting", or with the day when it was not today (`now`, the
    /// runtime's latest reading of the clock).
    public func label(in caseload: CaseloadState, now: WallClock) -> String {
        let at = now.at(millis: lastAt)
        let when = at.day == now.day ? at.hourMinute : at.day.shortLabel
        let waiting = waiting(in: caseload)
        return "last sync \(when)" + (waiting > 0 ? " · \(waiting) waiting" : "")
    }
}

/// Everything on screen. A value: `update` changes it, `view` draws it, tests build it.
public struct AppState: Sendable {
    public var caseload: CaseloadState
    /// The person using the app (their worker id).
    public var workerId: String
    /// "Today" for overdue and due dates (`--as-of`, else the machine's date).
    public var asOf: Day
    public var width: Int
    public var height: Int
    /// The navigation stack; the last route is on screen. Never empty.
    public var routes: [Route]
    public var list = PatientListState()
    public var patient: PatientViewState?
    public var editor: NoteEditorState?
    /// Asked when the note editor saves a contact (see `askAboutContact`).
    public var contactQuestion: ContactQuestion?
    /// Asked when the referral form names someone already known (see `askAboutKnownPerson`).
    public var reReferralQuestion: ReReferralQuestion?
    /// Asked with D on a person's screen that says "may be a duplicate of…" (see `askAboutDuplicate`).
    public var duplicateQuestion: DuplicateQuestion?
    public var form: FormState?
    public var measure: MeasureFormState?
    public var search = SearchState()
    public var queue = FollowupQueueState()
    /// The referral inbox: her referrals not yet seen, oldest first (`caseload inbox`).
    public var inbox = InboxScreenState()
    /// Days a referral may wait for its first contact (config `response_deadline_days`).
    public var responseDeadlineDays = CaseloadState.defaultResponseDeadlineDays
    public var team = TeamViewState()
    public var reports = ReportsViewState()
    public var helpScroll = 0
    /// The history screen's lines (`H`), as the runtime read them from the journals.
    public var history: [String] = []
    public var status: StatusMessage?
    public var lastChange: UndoableChange?
    /// Drafts offered back on this screen (newest first).
    public var offeredDrafts: [UUID] = []
    /// Monotonic seconds from the latest tick.
    public var now: Double = 0
    /// Seconds without input before the screen locks (config `idle_lock_minutes`); 0 never locks.
    public var idleLockSeconds = AppState.defaultIdleLockSeconds
    /// Whether unlocking asks for the passphrase (an encrypted caseload) or only Enter.
    public var needsPassphrase = false
    /// Monotonic seconds of the last key, click or paste (nil until the first tick).
    public var lastInputAt: Double?
    /// Set while the screen is locked.
    public var lock: LockState?
    /// The wall clock at the latest tick (the runtime reads it; until then, noon on `asOf`).
    public var wallClock: WallClock
    /// Set by the demo, shown in the header so nobody mistakes it for real data.
    public var isDemo = false
    /// The last sync, for "last sync 14:02 · 3 waiting" on the status line; nil before the first.
    public var sync: SyncStatus?
    /// A team server URL is remembered though no sync has finished yet (the first was cut
    /// off): `Y` syncs with it.
    public var serverRemembered = false
    /// Set while a sync runs, for the progress bar on the status line.
    public var syncProgress: (label: String, done: Int, total: Int)?
    /// Who signs the message to the GP (the config's `sender_*`); nil: the worker's own name and team.
    public var sender = GPSummary.SenderConfig()
    /// Where the message to the GP was last saved, offered again next time; until then `homeFolder`.
    public var letterFolder: String?
    public var picker: ServicePickerState?
    /// Missed contacts in a row that flag a person for review (config `missed_contacts_for_review`).
    public var reviewAfterMissed = RuleContext.defaultReviewAfterMissed {
        // The header's "N review" counts with it. Only when it changes: the app sets it once
        // at start, and counting again was a tenth of opening a million events.
        didSet { if reviewAfterMissed != oldValue { counts = computeCounts() } }
    }
    /// The rules' view of today and the settings.
    var ruleContext: RuleContext { RuleContext(asOf: asOf, reviewAfterMissed: reviewAfterMissed, actor: workerId) }
    public var homeFolder = "."
    /// When (monotonic `now`) each person's screen was last recorded as opened here: one
    /// `patient.viewed` per person per `Rules.appViewWindowSeconds`, not one per visit.
    var viewsRecorded: [UUID: Double] = [:]
    var searchIndex = PatientSearchIndex()
    /// Folded notes and goals for the search screen, built when it is first used (it holds a
    /// folded copy of every note, so not at open) and updated after changes.
    var noteIndex = NoteSearchIndex()
    var noteIndexStale = true
    var counts = HeaderCounts()
    /// New records' ids. The runtime seeds it from the system's random source at start
    /// (`openApp`); the fixed seed here is for tests, which then get the same ids every run.
    public var ids = IdSource(seed: 0x6361_7365_6C6F_6164, 0x7465_7374_2069_6473)

    /// The app on a caseload, opening on the patient list. Drafts this worker left unsaved
    /// (a crash, a dead battery) are announced on the status line: D shows them, and n on
    /// the patient offers them back.
    public init(caseload: CaseloadState, workerId: String, asOf: Day, width: Int = 80, height: Int = 24) {
        self.caseload = caseload
        self.workerId = workerId
        self.asOf = asOf
        self.wallClock = .noon(on: asOf)
        self.width = width
        self.height = height
        routes = [.patientList]
        caseloadChanged()
        let drafts = myDrafts
        if let first = drafts.first {
            let name = caseload.patients[first.patientId]?.name ?? "a patient"
            let more = drafts.count > 1 ? " and \(drafts.count - 1) more" : ""
            status = StatusMessage("Unsaved draft note for \(name)\(more): press D to restore it", kind: .info,
                                   shorter: ["Draft note for \(name)\(more): D restores", "Unsaved draft note: D restores"])
        }
    }

    /// This worker's unsaved drafts, newest first.
    var myDrafts: [Draft] {
        caseload.drafts.values.filter { $0.author == workerId && caseload.patients[$0.patientId] != nil }
            .sorted { $0.savedAt > $1.savedAt }
    }

    /// First run: no data directory yet, so ask who is using it.
    public static func firstRun(asOf: Day, width: Int = 80, height: Int = 24) -> AppState {
        var s = AppState(caseload: CaseloadState(), workerId: "", asOf: asOf, width: width, height: height)
        s.routes = [.firstRun]
        s.form = Forms.firstRun()
        return s
    }

    public var route: Route { routes.last ?? .patientList }

    /// The key context of the screen on top.
    public var context: Context {
        switch route {
        case .firstRun: return .firstRun
        case .patientList: return list.isFiltering ? .filtering : .patientList
        case .patient: return (patient?.pane ?? .timeline).context
        case .noteEditor: return .noteEditor
        case .followupQueue: return .followupQueue
        case .inbox: return .inbox
        case .teamView: return .teamView
        case .form: return .form
        case .measureForm: return .measureForm
        case .search: return .searchResults
        case .help: return .help
        case .letter: return .letter
        case .history: return .history
        case .reports: return .reports
        case .servicePicker: return .servicePicker
        case .draftOffer: return .draftOffer
        case .confirmQuit: return .confirmQuit
        case .contactQuestion: return .contactQuestion
        case .reReferralQuestion: return .reReferralQuestion
        case .duplicateQuestion: return .duplicateQuestion
        }
    }

    /// The minimum size the screens are laid out for; below it we say so instead.
    public static let minimumWidth = 40
    public static let minimumHeight = 10
    public var isTooSmall: Bool { width < AppState.minimumWidth || height < AppState.minimumHeight }

    /// Rows available to a list: the screen minus header (2), hints and status (2).
    var listHeight: Int { max(1, height - 5) }
}
