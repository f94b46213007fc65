import CaseloadCore
import Foundation

/// The message back to the referring GP when a person is discharged: why they came, what
/// happened, what changed. Written from the caseload, ready to copy into the practice system.
enum GPLetter {
    static func text(_ patientId: UUID, _ state: AppState) -> String {
        let c = state.caseload
        guard let p = c.patients[patientId] else { return "" }
        var lines: [String] = []
        let r = p.referral
        lines.append("To: " + (r.referrer ?? "the referring clinician") + (p.gpPractice.map { ", \($0)" } ?? ""))
        var re = "Re: \(p.name)"
        if let n = p.nhsNumber { re += ", NHS \(n.formatted)" }
        if let dob = p.dateOfBirth { re += ", born \(dob)" }
        lines.append(re)
        lines.append("")
        let reasons = r.reasons.isEmpty ? "" : " for " + r.reasons.map(\.label).joined(separator: ", ")
        lines.append("Referred on \(r.date) by \(r.source.label)\(reasons).")
        let sessions = c.sessions(of: patientId)
        if let first = sessions.first, let last = sessions.last {
            let minutes = sessions.compactMap(\.minutes).reduce(0, +)
            var seen = "Seen \(sessions.count) time\(sessions.count == 1 ? "" : "s")"
            seen += sessions.count > 1 ? " between \(first.date) and \(last.date)" : " on \(first.date)"
            if minutes > 0 { seen += " (\(minutes) minutes in all)" }
            lines.append(seen + ".")
        } else {
            lines.append("No sessions were recorded.")
        }
        let goals = c.goals(of: patientId)
        if !goals.isEmpty {
            lines.append("")
            lines.append("What mattered to them:")
            for g in goals {
                var line = "- \(g.text)"
                if let a = g.progress.first?.score, let b = g.latestProgress {
                    line += g.progress.count > 1 ? ": progress \(a) → \(b) of 10" : ": progress \(b) of 10"
                }
                if g.status != .active { line += " (\(g.status.label))" }
                lines.append(line)
            }
        }
        let summaries = c.measureSummaries(of: patientId)
        if !summaries.isEmpty {
            lines.append("")
            lines.append("Wellbeing measures:")
            for s in summaries {
                switch (s.baseline.score, s.latest.score) {
                case let (.swemwbs(_, a)?, .swemwbs(_, b)?):
                    var line = String(format: "- SWEMWBS metric score %.2f", a)
                    if s.count > 1 {
                        line += String(format: " → %.2f (%+.2f", b, b - a)
                        line += abs(b - a) >= Swemwbs.defaultMeaningfulChange ? ", a meaningful change)" : ")"
                    }
                    lines.append(line)
                case let (.ucla3(a)?, .ucla3(b)?):
                    lines.append("- UCLA-3 loneliness score \(a)" + (s.count > 1 ? " → \(b) (lower is less lonely)" : ""))
                case let (.ons4(a, _, _, aAnx)?, .ons4(b, _, _, bAnx)?):
                    lines.append("- ONS4 life satisfaction \(a)" + (s.count > 1 ? " → \(b)" : "") + ", anxiety \(aAnx)" + (s.count > 1 ? " → \(bAnx)" : ""))
                default:
                    break
                }
            }
        }
        let connections = c.connections(of: patientId)
        if !connections.isEmpty {
            lines.append("")
            lines.append("Connected to:")
            for conn in connections {
                lines.append("- \(c.services[conn.serviceId]?.name ?? "a service") (\(conn.stage.label))")
            }
        }
        lines.append("")
        if let last = p.statusHistory.last, !p.status.isOpen {
            lines.append("\(p.status.label.prefix(1).uppercased() + p.status.label.dropFirst()) on \(last.date)" + (last.reason.map { ": \($0)" } ?? "") + ".")
        } else {
            lines.append("Still open (\(p.status.label)).")
        }
        lines.append("")
        let me = c.workers[state.workerId]
        lines.append((me?.name ?? state.workerId) + ", social prescribing link worker" + (me?.team.map { ", \($0)" } ?? ""))
        return lines.joined(separator: "\n")
    }

    /// Whether the person agreed to information going back to their GP.
    static func consentWarning(_ p: Patient) -> String? {
        switch p.consent[.shareWithGP]?.given {
        case true?: return nil
        case false?: return "! They did NOT consent to sharing with their GP: do not send this."
        case nil: return "! Consent to share with their GP is not recorded: check before sending."
        }
    }
}
