import Foundation

/// The message as headed sections of plain lines: the text letter, the HTML page and the FHIR
/// Composition's section narratives are all made from these, in the standard's order.
extension GPSummary {
    public struct Section: Sendable, Hashable {
        public var title: String
        public var lines: [String]
    }

    /// To, Re and the date: what opens the letter.
    public var heading: [String] {
        var re = "Re: \(person.name)"
        if let n = person.nhsNumber { re += ", NHS \(n)" }
        if let dob = person.dateOfBirth { re += ", born \(dob)" }
        let referrer = detail?.referral.referrer ?? "the referring clinician"
        return ["To: " + referrer + (person.gpPractice.map { ", \($0)" } ?? ""), re, "Social prescribing information back to GP, \(writtenOn)"]
    }

    public var sections: [Section] {
        guard let d = detail else {
            return [Section(title: "Shared with consent", lines: [GPSummary.codesOnlyNote]), personSection, codesSection, senderSection]
        }
        return [planSection(d), personSection, referralSection(d.referral), contactsSection(d.contacts),
                assessmentsSection(d), servicesSection(d.connections), Section(title: "Risks", lines: [d.risks.text]),
                outcomeSection(d.status), codesSection, senderSection]
    }

    /// The letter a person reads and copies into the practice system.
    public var text: String {
        var lines = heading
        for s in sections {
            lines.append("")
            lines.append(s.title)
            lines += s.lines
        }
        return lines.joined(separator: "\n")
    }

    func planSection(_ d: Detail) -> Section {
        let actions = d.plan.actionsForPractice.isEmpty ? [Plan.noActions] : d.plan.actionsForPractice
        var lines = ["Actions for the practice: " + actions.joined(separator: "; ") + "."]
        lines += d.plan.nextSteps.map { "- \($0)" }
        if !d.goals.isEmpty {
            lines.append("What matters to them:")
            for g in d.goals {
                var line = "- \(g.text)"
                if let a = g.progressStart, let b = g.progressLatest {
                    line += a != b ? ": progress \(a) → \(b) of 10" : ": progress \(b) of 10"
                }
                if g.status != .active { line += " (\(g.status.label))" }
                lines.append(line)
            }
        }
        return Section(title: "Plan and actions", lines: lines)
    }

    var personSection: Section {
        var lines = ["Name: \(person.name)" + (person.preferredName.map { $0 == person.name ? "" : " (known as \($0))" } ?? "")]
        lines.append("NHS number: " + (person.nhsNumber ?? "not recorded"))
        lines.append("Date of birth: " + (person.dateOfBirth?.description ?? "not recorded"))
        if detail != nil { lines.append("Address: " + (person.address ?? "not recorded")) }
        lines.append("GP practice: " + (person.gpPractice ?? "not recorded"))
        return Section(title: "Person", lines: lines)
    }

    func referralSection(_ r: ReferralDetails) -> Section {
        let reasons = r.reasons.isEmpty ? "" : " for " + r.reasons.joined(separator: ", ")
        var lines = ["Referred on \(r.date) by \(r.sourceLabel)\(r.referrer.map { " (\($0))" } ?? "")\(reasons)."]
        if !r.earlierReferrals.isEmpty {
            let dates = r.earlierReferrals.map(\.description).joined(separator: ", ")
            lines.append("Referred again: this message is about this referral only (earlier referral\(r.earlierReferrals.count == 1 ? "" : "s") \(dates)).")
        }
        return Section(title: "Referral", lines: lines)
    }

    func contactsSection(_ c: Contacts) -> Section {
        var lines: [String] = []
        if let first = c.first, let last = c.last {
            var seen = "\(c.sessions) contact\(c.sessions == 1 ? "" : "s")"
            seen += c.sessions > 1 ? " between \(first) and \(last)" : " on \(first)"
            if c.minutes > 0 { seen += " (\(c.minutes) minutes in all)" }
            lines.append(seen + ".")
            lines.append("By method: " + c.byMethod.map { "\($0.label) \($0.count)" }.joined(separator: ", ") + ".")
            let missed = c.byOutcome.filter { $0.outcome.isMissed }.map { "\($0.count) \($0.label)" }
            lines.append("Outcome: " + (["\(c.attended) attended"] + missed).joined(separator: ", ") + ".")
        } else {
            lines.append("No contacts were recorded.")
        }
        if let m = c.missed { lines.append("The case ended as \(m).") }
        return Section(title: "Contacts", lines: lines)
    }

    func assessmentsSection(_ d: Detail) -> Section {
        guard !d.assessments.isEmpty else { return Section(title: "Assessments", lines: ["None recorded."]) }
        var lines = ["Baseline → latest:"]
        lines += d.outcomes.map { "- " + $0.text }
        lines.append("Each assessment (item scores in question order):")
        for a in d.assessments {
            let items = a.items.map { String($0.score) }.joined(separator: ", ")
            lines.append("- \(a.date) \(a.label): items \(items); total \(a.total)")
        }
        return Section(title: "Assessments", lines: lines)
    }

    func servicesSection(_ cs: [ConnectionItem]) -> Section {
        guard !cs.isEmpty else { return Section(title: "Services signposted and referred to", lines: ["None."]) }
        return Section(title: "Services signposted and referred to", lines: cs.map { c in
            var line = "- \(c.service): \(c.route.label), \(c.stageLabel) since \(c.since)"
            if let o = c.organisation, o != c.service { line += ", run by \(o)" }
            if c.accompanied { line += ", accompanied to the first visit" }
            return line
        })
    }

    func outcomeSection(_ s: CaseStatus) -> Section {
        let label = s.label.prefix(1).uppercased() + s.label.dropFirst()
        let line = s.open ? "Still open (\(s.label)) since \(s.since)." : "\(label) on \(s.since)" + (s.reason.map { ": \($0)" } ?? "") + "."
        return Section(title: "Outcome and discharge", lines: [line])
    }

    var codesSection: Section {
        let lines = codes.isEmpty ? ["None yet (a code is added at the first interaction of the episode)."]
            : codes.map { "- \($0.code) \($0.display), \($0.date)" }
        return Section(title: "SNOMED CT codes", lines: lines)
    }

    var senderSection: Section {
        var lines = ["\(sender.name), \(sender.role)"]
        if let o = sender.organisation { lines.append(o) }
        if let c = sender.contact { lines.append(c) }
        return Section(title: "From", lines: lines)
    }
}

extension GPSummary {
    /// The formats the message is written in, for the CLI's `--format` and the app's save.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case text, html, fhir

        public var fileExtension: String {
            switch self {
            case .text: return "txt"
            case .html: return "html"
            case .fhir: return "json"
            }
        }

        public var label: String {
            switch self {
            case .text: return "text"
            case .html: return "HTML page (prints on A4)"
            case .fhir: return "FHIR R4 Bundle (JSON)"
            }
        }
    }

    public func rendered(_ format: Format) -> String {
        switch format {
        case .text: return text + "\n"
        case .html: return html
        case .fhir: return fhirJSON + "\n"
        }
    }

    /// A file name that names no one: `gp-message-1a2b3c4d-2026-11-23.html`.
    public func fileName(_ format: Format) -> String {
        "gp-message-\(patientId.lowercasedString.prefix(8))-\(writtenOn).\(format.fileExtension)"
    }
}
