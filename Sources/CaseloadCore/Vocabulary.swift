/// The fixed vocabularies of the domain. Raw values are the stable camelCase names used in
/// the journal and in `--json`; `parse` also accepts what people type (`did-not-attend`,
/// `DNA`, `face to face`), ignoring case, spaces, dashes and underscores.
public protocol Vocabulary: RawRepresentable, CaseIterable, Codable, Hashable, Sendable where RawValue == String {
    /// What a person reads on screen.
    var label: String { get }
    /// Extra spellings accepted on input, already folded (lowercase, no separators).
    static var aliases: [String: Self] { get }
}

extension Vocabulary {
    public static var aliases: [String: Self] { [:] }

    static func fold(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { !" -_/".unicodeScalars.contains($0) })
    }

    public static func parse(_ text: String) -> Self? {
        let key = fold(text)
        for c in allCases where fold(c.rawValue) == key || fold(c.label) == key { return c }
        return aliases[key]
    }

    public static var choices: String { allCases.map { $0.rawValue }.joined(separator: ", ") }
}

public enum PatientStatus: String, Vocabulary {
    case referred, contacted, active, discharged, declined, didNotAttend, unableToContact

    public var label: String {
        switch self {
        case .referred: return "referred"
        case .contacted: return "contacted"
        case .active: return "active"
        case .discharged: return "discharged"
        case .declined: return "declined"
        case .didNotAttend: return "did not attend"
        case .unableToContact: return "unable to contact"
        }
    }

    public static var aliases: [String: PatientStatus] { ["dna": .didNotAttend, "utc": .unableToContact] }

    /// Open cases are the worker's caseload; the rest have ended. "Did not attend" as a status of
    /// the whole person is what journals before contact outcomes held: a missed contact never
    /// closes a case, so it reads as open (and flagged for review), never as ended.
    public var isOpen: Bool { [.referred, .contacted, .active, .didNotAttend].contains(self) }

    /// The statuses a person can be given now; "did not attend" is an outcome of a contact.
    public static var settable: [PatientStatus] { allCases.filter { $0 != .didNotAttend } }
}

public enum ReferralSource: String, Vocabulary {
    case gp, practiceStaff, nurse, hospital, vcse, localAuthority, selfReferral, other

    public var label: String {
        switch self {
        case .gp: return "GP"
        case .practiceStaff: return "practice staff"
        case .nurse: return "nurse"
        case .hospital: return "hospital"
        case .vcse: return "VCSE"
        case .localAuthority: return "local authority"
        case .selfReferral: return "self"
        case .other: return "other"
        }
    }

    public static var aliases: [String: ReferralSource] {
        ["receptionist": .practiceStaff, "charity": .vcse, "council": .localAuthority, "la": .localAuthority]
    }
}

public enum ReferralReason: String, Vocabulary {
    case loneliness, mentalWellbeing, moneyDebt, housing, physicalActivity, longTermCondition,
         carer, employment, bereavement, other

    public var label: String {
        switch self {
        case .loneliness: return "loneliness"
        case .mentalWellbeing: return "mental wellbeing"
        case .moneyDebt: return "money/debt"
        case .housing: return "housing"
        case .physicalActivity: return "physical activity"
        case .longTermCondition: return "long-term condition"
        case .carer: return "carer"
        case .employment: return "employment"
        case .bereavement: return "bereavement"
        case .other: return "other"
        }
    }

    public static var aliases: [String: ReferralReason] {
        ["money": .moneyDebt, "debt": .moneyDebt, "isolation": .loneliness, "ltc": .longTermCondition,
         "wellbeing": .mentalWellbeing, "mentalhealth": .mentalWellbeing, "grief": .bereavement]
    }
}

/// How a contact happened: its method in the PRSB contact record (the journal's `kind`).
public enum SessionKind: String, Vocabulary {
    case phone, faceToFace, homeVisit, video, group, accompaniedVisit, textOrEmail

    public var label: String {
        switch self {
        case .phone: return "phone"
        case .faceToFace: return "face to face"
        case .homeVisit: return "home visit"
        case .video: return "video"
        case .group: return "group"
        case .accompaniedVisit: return "accompanied visit"
        case .textOrEmail: return "text or email"
        }
    }

    public static var aliases: [String: SessionKind] {
        ["f2f": .faceToFace, "call": .phone, "telephone": .phone, "home": .homeVisit, "accompanied": .accompaniedVisit,
         "text": .textOrEmail, "email": .textOrEmail, "sms": .textOrEmail]
    }
}

/// The method of a contact: the same values as a session's kind.
public typealias ContactMethod = SessionKind

/// Whether a contact happened, as the NHS Data Dictionary's outcome of attendance. Sessions
/// recorded before outcomes were kept have none in the journal and read as attended.
public enum ContactOutcome: String, Vocabulary {
    case attended, didNotAttend, noAnswer, cancelledByPerson, cancelledByService

    public var label: String {
        switch self {
        case .attended: return "attended"
        case .didNotAttend: return "did not attend"
        case .noAnswer: return "no answer"
        case .cancelledByPerson: return "cancelled by the person"
        case .cancelledByService: return "cancelled by the service"
        }
    }

    public static var aliases: [String: ContactOutcome] {
        ["dna": .didNotAttend, "noshow": .didNotAttend, "cancelledbyperson": .cancelledByPerson, "cancelledbyservice": .cancelledByService,
         "seen": .attended]
    }

    /// Anything but attended: the contact did not happen, and the case stays as it was.
    public var isMissed: Bool { self != .attended }
}

public enum GoalStatus: String, Vocabulary {
    case active, achieved, dropped
    public var label: String { rawValue }
}

public enum ConnectionStage: String, Vocabulary {
    case suggested, referred, enrolled, engaged, completed, droppedOut

    public var label: String { self == .droppedOut ? "dropped out" : rawValue }
    public static var aliases: [String: ConnectionStage] { ["dropped": .droppedOut] }
}

/// How a person was connected to a service. The PRSB standard keeps them apart and both count
/// as demand on the service.
public enum ConnectionRoute: String, Vocabulary {
    /// Told about the service.
    case signposted
    /// The service was contacted for them.
    case referred

    public var label: String { rawValue }
    public static var aliases: [String: ConnectionRoute] { ["signpost": .signposted, "told": .signposted, "refer": .referred] }

    /// What a connection recorded before the route was: one that started as a suggestion was
    /// signposting, anything further along was a referral.
    public static func implied(byFirstStage stage: ConnectionStage) -> ConnectionRoute { stage == .suggested ? .signposted : .referred }
}

public enum FollowupStatus: String, Vocabulary {
    case open, done, cancelled
    public var label: String { rawValue }
}

public enum ConsentKind: String, Vocabulary {
    case socialPrescribing, shareWithGP

    public var label: String { self == .socialPrescribing ? "social prescribing" : "share with GP" }
    public static var aliases: [String: ConsentKind] { ["sp": .socialPrescribing, "gp": .shareWithGP, "sharegp": .shareWithGP] }
}
