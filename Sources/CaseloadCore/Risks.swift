import Foundation

/// The risk register. The PRSB standard makes risks mandatory: a list of dated risks, or an
/// explicit "no known risks". Both faces show open risks as a banner on the person's screens,
/// and the message to the GP lists them.
public enum RiskKind: String, Vocabulary {
    case loneWorking, safeguarding, other

    public var label: String {
        switch self {
        case .loneWorking: return "lone working"
        case .safeguarding: return "safeguarding concern raised"
        case .other: return "other risk"
        }
    }

    public static var aliases: [String: RiskKind] { ["lone": .loneWorking, "sg": .safeguarding, "safeguardingconcern": .safeguarding] }
}

// MARK: - State

// The risk events and `Risk` itself are declared in Schema/caseload.schema (generated into
// Generated/Schema+Types.swift).
extension Risk {
    public var isOpen: Bool { resolvedOn == nil }

    /// "lone working since 2026-11-23: landlord's dog", as the banner and the letter say it.
    public var summary: String {
        var s = "\(kind.label) since \(date)"
        if let w = raisedWith, !w.isEmpty { s += " (raised with \(w))" }
        if let n = note, !n.isEmpty { s += ": \(n)" }
        return s
    }
}

/// What is known about a person's risks.
public enum RiskStatus: Sendable, Hashable {
    case open([Risk])
    case noneKnown(since: Day)
    case notRecorded
}

extension CaseloadState {
    mutating func applyRisk(_ e: Event) {
        switch e.body {
        case .riskRecorded(let b):
            guard patients[b.patientId] != nil else { return }
            risks[b.riskId] = Risk(id: b.riskId, patientId: b.patientId, kind: b.kind, note: b.note, raisedWith: b.raisedWith,
                                   date: b.date, recordedBy: e.author)
        case .riskResolved(let b):
            guard risks[b.riskId]?.isOpen == true else { return }
            risks[b.riskId]?.resolvedOn = b.date
            risks[b.riskId]?.resolveReason = b.reason
        case .noKnownRisks(let b):
            guard patients[b.patientId] != nil else { return }
            noKnownRisks[b.patientId] = b.date
        default:
            break
        }
    }

    /// A person's risks, oldest first (few per person: a scan of the register is cheap).
    public func risks(of patientId: UUID) -> [Risk] {
        risks.values.filter { $0.patientId == patientId }.sorted(by: Self.riskOrder)
    }

    /// Everyone's risks, each person's in `risks(of:)`'s order, from one pass over the register:
    /// asking `risks(of:)` for every person of an export scanned it once per person.
    public func risksByPatient() -> [UUID: [Risk]] {
        Dictionary(grouping: risks.values, by: \.patientId).mapValues { $0.sorted(by: Self.riskOrder) }
    }

    static func riskOrder(_ a: Risk, _ b: Risk) -> Bool { (a.date, a.id.uuidString) < (b.date, b.id.uuidString) }

    /// Open risks win over an earlier "no known risks"; one recorded after a risk was resolved counts.
    public func riskStatus(of patientId: UUID) -> RiskStatus {
        let all = risks(of: patientId)
        let open = all.filter(\.isOpen)
        if !open.isEmpty { return .open(open) }
        if let d = noKnownRisks[patientId] { return .noneKnown(since: d) }
        return .notRecorded
    }

    /// The banner on the person's screens: "! risk: lone working, safeguarding concern raised", or nil.
    public func riskBanner(of patientId: UUID) -> String? {
        guard case .open(let open) = riskStatus(of: patientId) else { return nil }
        return "! risk: " + open.map(\.kind.label).joined(separator: ", ")
    }

    public func resolveRisk(_ key: String) -> Result<Risk, LookupError> { Self.resolve(key, kind: "risk", in: risks) }
}

// MARK: - Rules

public struct RiskInput: Sendable, Hashable {
    public var patientId: UUID
    public var kind: RiskKind
    public var note: String?
    public var raisedWith: String?
    public var date: Day
    public init(patientId: UUID, kind: RiskKind, note: String?, raisedWith: String? = nil, date: Day) {
        self.patientId = patientId; self.kind = kind; self.note = note; self.raisedWith = raisedWith; self.date = date
    }
}

extension Rules {
    /// A dated risk. "Other" needs a note saying what it is; dates after today are refused.
    public static func recordRisk(_ input: RiskInput, state: CaseloadState, context: RuleContext,
                                  riskId: UUID = UUID()) -> Result<[EventBody], Problems<FieldProblem>> {
        guard state.patients[input.patientId] != nil else { return .failure(Problems([FieldProblem("patient", "no such person on the caseload")])) }
        var problems: [FieldProblem] = []
        let note = input.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if input.kind == .other, note?.isEmpty ?? true { problems.append(FieldProblem("note", "say what the risk is (a note is needed for an other risk)")) }
        if input.date > context.asOf { problems.append(FieldProblem("date", "the date \(input.date) is after today (\(context.asOf))")) }
        if let n = note, let p = RecordLimits.textProblem(field: "note", n, long: true) { problems.append(FieldProblem("note", p)) }
        if let w = input.raisedWith, let p = RecordLimits.textProblem(field: "raised with", w, long: false) { problems.append(FieldProblem("raisedWith", p)) }
        guard problems.isEmpty else { return .failure(Problems(problems)) }
        let raised = input.raisedWith?.trimmingCharacters(in: .whitespacesAndNewlines)
        return .success([.riskRecorded(RiskRecorded(riskId: riskId, patientId: input.patientId, kind: input.kind,
                                                    note: note?.isEmpty == false ? note : nil,
                                                    raisedWith: raised?.isEmpty == false ? raised : nil, date: input.date))])
    }

    /// "No known risks" may only be said when none is open.
    public static func recordNoKnownRisks(patientId: UUID, date: Day, state: CaseloadState, context: RuleContext) -> Result<[EventBody], Problems<FieldProblem>> {
        guard state.patients[patientId] != nil else { return .failure(Problems([FieldProblem("patient", "no such person on the caseload")])) }
        if date > context.asOf { return .failure(Problems([FieldProblem("date", "the date \(date) is after today (\(context.asOf))")])) }
        if case .open(let open) = state.riskStatus(of: patientId) {
            let list = open.map { "\($0.id.uuidString.prefix(8).lowercased()) \($0.kind.label)" }.joined(separator: ", ")
            return .failure(Problems([FieldProblem("risks", "\(open.count) risk\(open.count == 1 ? " is" : "s are") open (\(list)): resolve \(open.count == 1 ? "it" : "them") first")]))
        }
        return .success([.noKnownRisks(NoKnownRisks(patientId: patientId, date: date))])
    }

    public static func resolveRisk(_ riskId: UUID, reason: String?, state: CaseloadState, context: RuleContext) -> Result<[EventBody], Problems<FieldProblem>> {
        guard let r = state.risks[riskId] else { return .failure(Problems([FieldProblem("risk", "no such risk")])) }
        guard r.isOpen else { return .failure(Problems([FieldProblem("risk", "risk \(riskId.uuidString.prefix(8).lowercased()) was already resolved on \(r.resolvedOn!)")])) }
        if let reason, let p = RecordLimits.textProblem(field: "reason", reason, long: false) { return .failure(Problems([FieldProblem("reason", p)])) }
        return .success([.riskResolved(RiskResolved(riskId: riskId, date: context.asOf, reason: reason))])
    }
}
