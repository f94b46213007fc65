import Foundation

/// A person's whole record for a subject access request: every event about them, as the
/// journal holds it, including every version of every note, drafts never saved as a session,
/// and changes later undone (marked so), plus a readable account of the same.
public enum SubjectAccess {
    /// The events about `patientId`, in fold order.
    public static func events(about patientId: UUID, in all: [Event]) -> [Event] {
        let sorted = all.sorted(by: Event.foldOrder)
        // Things that belong to the person, by the id later events name them with.
        var owned: Set<UUID> = [patientId]
        for e in sorted {
            switch e.body {
            case .sessionRecorded(let b) where b.patientId == patientId: owned.insert(b.sessionId)
            case .draftSaved(let b) where b.patientId == patientId: owned.insert(b.draftId)
            case .goalSet(let b) where b.patientId == patientId: owned.insert(b.goalId)
            case .measureRecorded(let b) where b.patientId == patientId: owned.insert(b.measureId)
            case .connectionMade(let b) where b.patientId == patientId: owned.insert(b.connectionId)
            case .followupScheduled(let b) where b.patientId == patientId: owned.insert(b.followupId)
            case .riskRecorded(let b) where b.patientId == patientId: owned.insert(b.riskId)
            default: break
            }
        }
        var picked: [Event] = []
        var pickedIds: Set<UUID> = []
        for e in sorted {
            let about: Bool
            switch e.body {
            case .patientReferred(let b): about = b.patientId == patientId
            case .patientUpdated(let b): about = b.patientId == patientId
            case .patientStatusChanged(let b): about = b.patientId == patientId
            case .consentRecorded(let b): about = b.patientId == patientId
            case .sessionRecorded(let b): about = b.patientId == patientId
            case .sessionAmended(let b): about = owned.contains(b.sessionId)
            case .draftSaved(let b): about = b.patientId == patientId
            case .draftDiscarded(let b): about = owned.contains(b.draftId)
            case .goalSet(let b): about = b.patientId == patientId
            case .goalProgressed(let b): about = owned.contains(b.goalId)
            case .goalStatusChanged(let b): about = owned.contains(b.goalId)
            case .measureRecorded(let b): about = b.patientId == patientId
            case .connectionMade(let b): about = b.patientId == patientId
            case .connectionStageChanged(let b): about = owned.contains(b.connectionId)
            case .followupScheduled(let b): about = b.patientId == patientId
            case .followupRescheduled(let b): about = owned.contains(b.followupId)
            case .followupCompleted(let b): about = owned.contains(b.followupId)
            case .followupCancelled(let b): about = owned.contains(b.followupId)
            case .changeUndone(let b): about = pickedIds.contains(b.eventId)
            case .riskRecorded(let b): about = b.patientId == patientId
            case .riskResolved(let b): about = owned.contains(b.riskId)
            case .noKnownRisks(let b): about = b.patientId == patientId
            case .duplicateResolved(let b): about = b.patientId == patientId || b.otherId == patientId
            case .patientViewed(let b): about = b.patientId == patientId
            case .patientRestricted(let b): about = b.patientId == patientId
            case .patientUnrestricted(let b): about = b.patientId == patientId
            case .patientErased(let b): about = b.patientId == patientId
            case .workerRegistered, .serviceAdded, .serviceUpdated, .serviceDelisted, .deviceSynced, .unknown: about = false
            }
            if about { picked.append(e); pickedIds.insert(e.id) }
        }
        return picked
    }

    /// The same events as a person reads them: when, who, what.
    public static func text(_ p: Patient, events: [Event], state: CaseloadState, asOf: Day) -> String {
        let undone = Set(events.compactMap { if case .changeUndone(let u) = $0.body { return u.eventId } else { return nil } })
        var lines = ["Everything Caseload holds about \(p.name)", "Written \(asOf). \(events.count) recorded change\(events.count == 1 ? "" : "s"), oldest first.", ""]
        if let n = p.nhsNumber { lines.append("NHS number: \(n.formatted)") }
        if let d = p.dateOfBirth { lines.append("Date of birth: \(d)") }
        lines.append("")
        for e in events {
            let who = state.workers[e.author]?.name ?? e.author
            var head = "\(timestamp(e.clock)) \(who): \(describe(e.body, state: state))"
            if undone.contains(e.id) { head += " [later undone]" }
            lines.append(head)
            for t in texts(e.body) where !t.isEmpty {
                for l in t.split(separator: "\n", omittingEmptySubsequences: false) { lines.append("    " + l) }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The UTC day of an event's clock.
    public static func day(of c: HLC) -> Day { Day(ordinal: Int((Double(c.wallMillis / 1000) / 86_400).rounded(.down))) }

    static func timestamp(_ c: HLC) -> String {
        let seconds = c.wallMillis / 1000
        let day = Day(ordinal: Int((Double(seconds) / 86_400).rounded(.down)))
        let s = Int(seconds - Int64(day.ordinal) * 86_400)
        return String(format: "%@ %02d:%02d UTC", day.description, s / 3600, (s % 3600) / 60)
    }

    /// Free text an event carries, shown indented under it.
    static func texts(_ b: EventBody) -> [String] {
        switch b {
        case .patientReferred(let x): return [x.referral.text ?? ""]
        case .sessionRecorded(let x): return [x.note]
        case .sessionAmended(let x): return [x.note]
        case .draftSaved(let x): return [x.text]
        default: return []
        }
    }

    static func describe(_ b: EventBody, state: CaseloadState) -> String {
        func opt(_ label: String, _ v: String?) -> String? { v.map { "\(label) \($0)" } }
        switch b {
        case .patientReferred(let x):
            let details = [opt("NHS", x.nhsNumber?.formatted), opt("born", x.dateOfBirth?.description), opt("phone", x.phone),
                           opt("address", x.address), opt("GP practice", x.gpPractice), opt("worker", x.worker)].compactMap { $0 }
            return "referred on \(x.referral.date) by \(x.referral.source.label)" + (x.referral.referrer.map { " (\($0))" } ?? "")
                + (x.referral.reasons.isEmpty ? "" : " for " + x.referral.reasons.map(\.label).joined(separator: ", "))
                + "; name \(x.name)" + (x.preferredName.map { ", known as \($0)" } ?? "") + (details.isEmpty ? "" : "; " + details.joined(separator: ", "))
        case .patientUpdated(let x):
            let fields = [opt("name", x.name), opt("preferred name", x.preferredName), opt("born", x.dateOfBirth?.description),
                          opt("NHS", x.nhsNumber?.formatted), opt("phone", x.phone), opt("address", x.address),
                          opt("GP practice", x.gpPractice), opt("worker", x.worker)].compactMap { $0 }
            return "details changed: " + fields.joined(separator: ", ")
        case .patientStatusChanged(let x): return "status \(x.status.label) on \(x.date)" + (x.reason.map { ": \($0)" } ?? "")
        case .consentRecorded(let x): return "consent to \(x.kind.label) \(x.given ? "given" : "withdrawn") on \(x.date)"
        case .sessionRecorded(let x):
            return "session on \(x.date), \(x.kind.label)" + (x.outcome.map { $0 == .attended ? "" : ", \($0.label)" } ?? "")
                + (x.minutes.map { ", \($0) min" } ?? "") + "; note:"
        case .sessionAmended: return "note amended (earlier version kept); new version:"
        case .draftSaved(let x): return "draft note saved (not yet a session), for \(x.date):"
        case .draftDiscarded: return "draft note discarded"
        case .goalSet(let x): return "goal set on \(x.date): \(x.text)" + (x.progress.map { " (progress \($0)/10)" } ?? "")
        case .goalProgressed(let x): return "goal progress \(x.score)/10 on \(x.date)"
        case .goalStatusChanged(let x): return "goal \(x.status.label) on \(x.date)"
        case .measureRecorded(let x):
            let m = Measure(id: x.measureId, patientId: x.patientId, instrument: x.instrument, answers: x.answers, date: x.date)
            return "\(x.instrument.label) on \(x.date): answers \(x.answers.map(String.init).joined(separator: ",")) → " + GPSummary.scoreText(m)
        case .connectionMade(let x):
            return "connected to \(state.services[x.serviceId]?.name ?? "a service") (\(x.stage.label))" + (x.accompanied ? ", accompanied" : "") + " on \(x.date)"
        case .connectionStageChanged(let x): return "connection now \(x.stage.label) on \(x.date)" + (x.reason.map { ": \($0)" } ?? "")
        case .followupScheduled(let x): return "follow-up due \(x.due)" + (x.reason.map { ": \($0)" } ?? "")
        case .followupRescheduled(let x): return "follow-up moved to \(x.due) on \(x.date)" + (x.reason.map { ": \($0)" } ?? "")
        case .followupCompleted(let x): return "follow-up done on \(x.date)"
        case .followupCancelled(let x): return "follow-up cancelled on \(x.date)" + (x.reason.map { ": \($0)" } ?? "")
        case .changeUndone: return "undid an earlier change"
        case .riskRecorded(let x):
            return "risk recorded on \(x.date): \(x.kind.label)" + (x.raisedWith.map { ", raised with \($0)" } ?? "") + (x.note.map { ": \($0)" } ?? "")
        case .riskResolved(let x): return "risk resolved on \(x.date)" + (x.reason.map { ": \($0)" } ?? "")
        case .noKnownRisks(let x): return "no known risks, recorded \(x.date)"
        case .duplicateResolved(let x): return x.merged ? "another record of the same person merged in on \(x.date)" : "marked as a different person from a similar record on \(x.date)"
        case .patientViewed(let x): return "record opened (\(ViewSurface(rawValue: x.how)?.label ?? x.how))"
        case .patientRestricted(let x): return "record restricted on \(x.date): \(x.reason)"
        case .patientUnrestricted(let x): return "restriction lifted on \(x.date)"
        case .patientErased(let x): return "record erased on \(x.date): \(x.reason)"
        case .workerRegistered, .serviceAdded, .serviceUpdated, .serviceDelisted, .deviceSynced, .unknown: return b.type
        }
    }
}
