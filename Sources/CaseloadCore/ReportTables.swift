import Foundation

/// One table of a report, as text cells: what the command line prints, `--csv` writes (one
/// file per table) and the reports screen shows. `counts` says what the numbers count.
public struct ReportTable: Sendable, Hashable {
    public enum Level: String, Sendable { case people, community, system }
    public var level: Level
    /// File name stem for `--csv` (`referrals-by-source` → `referrals-by-source.csv`).
    public var name: String
    public var title: String
    /// The denominator, in words: "of 40 people referred in the period".
    public var counts: String
    public var header: [String]
    public var rows: [[String]]
}

extension CaseloadReport {
    /// "2026-01-01 to 2026-03-31", or "up to 2026-03-31" with no start.
    public var periodText: String { from.map { "\($0) to \(to)" } ?? "up to \(to)" }

    public var scopeText: String {
        if let worker { return "worker \(worker)" }
        if let team { return "team \(team)" }
        return "everyone"
    }

    /// "30%" of a part; "–" when there is nothing to divide by.
    public static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "–" : "\(Int((Double(part) * 100 / Double(whole)).rounded()))%"
    }

    /// A number with at most two decimals and no trailing zeros ("3", "2.5", "-1.25").
    public static func number(_ x: Double?) -> String {
        guard let x else { return "–" }
        var s = String(format: "%.2f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// Every table of the report, people first, in the order a reader takes them.
    public func tables() -> [ReportTable] {
        let n = people.referred
        let cohort = "people referred \(periodText)"
        func tally(_ name: String, _ title: String, _ what: String, _ rows: [Tally], of whole: Int, counts: String) -> ReportTable {
            ReportTable(level: .people, name: name, title: title, counts: counts, header: [what, "people", "of", "%"],
                        rows: rows.map { [$0.label, "\($0.count)", "\(whole)", Self.percent($0.count, of: whole)] })
        }
        var out: [ReportTable] = []
        out.append(ReportTable(level: .people, name: "referrals-by-month", title: "Referrals by month", counts: "\(n) \(cohort), by referral date",
                               header: ["month", "people"], rows: people.referralsByMonth.map { [$0.month, "\($0.count)"] }))
        out.append(tally("referrals-by-source", "Referrals by source", "source", people.bySource, of: n, counts: "of \(n) \(cohort)"))
        out.append(tally("referrals-by-reason", "Referrals by reason", "reason", people.byReason, of: n,
                         counts: "of \(n) \(cohort); a referral can give several reasons"))
        let fc = people.firstContact
        out.append(ReportTable(
            level: .people, name: "first-contact", title: "Time from referral to first contact",
            counts: "of \(fc.referred) \(cohort); first contact = first session on or after the referral, up to \(to)",
            header: ["figure", "value", "of"],
            rows: [["contacted", "\(fc.contacted)", "\(fc.referred)"],
                   ["not contacted yet", "\(fc.notYetContacted)", "\(fc.referred)"],
                   ["median days", Self.number(fc.medianDays), "\(fc.contacted)"],
                   ["90th percentile days", fc.p90Days.map(String.init) ?? "–", "\(fc.contacted)"]]))
        let s = people.sessions
        out.append(ReportTable(
            level: .people, name: "sessions-per-person", title: "Sessions per person",
            counts: "of \(s.referred) \(cohort); sessions dated up to \(to); mean \(Self.number(s.meanPerPersonSeen)) per person seen (\(s.sessions) sessions, \(s.withASession) people)",
            header: ["sessions", "people", "of", "%"],
            rows: s.distribution.map { [$0.label, "\($0.count)", "\(s.referred)", Self.percent($0.count, of: s.referred)] }))
        out.append(tally("status-at-period-end", "Status at the end of the period", "status", people.statusAtEnd, of: n,
                         counts: "of \(n) \(cohort), as at \(to)"))
        out.append(ReportTable(
            level: .people, name: "measures", title: "Outcome measures: baseline to latest follow-up",
            counts: "of \(n) \(cohort); baseline = first measure, follow-up = latest up to \(to); changes are follow-up minus baseline",
            header: ["measure", "with baseline", "with follow-up", "mean baseline", "mean follow-up", "mean change", "better is"],
            rows: people.measures.map { m in
                [m.label, "\(m.withBaseline) of \(m.referred)", "\(m.withBaselineAndFollowUp) of \(m.referred)",
                 Self.number(m.meanBaseline), Self.number(m.meanFollowUp), Self.number(m.meanChange), m.lowerIsBetter ? "lower" : "higher"]
            }))
        out.append(ReportTable(
            level: .people, name: "measure-change", title: "Outcome measures: meaningful change",
            counts: "of the people with a baseline and a follow-up; a change of at least the threshold in the better direction is improved, in the worse direction worse",
            header: ["measure", "threshold", "improved", "no meaningful change", "worse"],
            rows: people.measures.map { m in
                let n = m.withBaselineAndFollowUp
                return [m.label, Self.number(m.threshold), "\(m.improved) of \(n)", "\(m.noMeaningfulChange) of \(n)", "\(m.worsened) of \(n)"]
            }))

        let c = community
        let made = "of \(c.connections) connections made \(periodText)"
        func stages(_ name: String, _ title: String, _ what: String, _ rows: [StageRow]) -> ReportTable {
            ReportTable(level: .community, name: name, title: title, counts: "\(made), by stage reached as at \(to)",
                        header: [what, "connections"] + ConnectionStage.allCases.map(\.label),
                        rows: rows.map { r in [r.label, "\(r.total)"] + ConnectionStage.allCases.map { "\(r.count($0))" } })
        }
        out.append(stages("connections-by-service", "Connections by service", "service", c.byService))
        out.append(stages("connections-by-category", "Connections by category", "category", c.byCategory))
        out.append(ReportTable(level: .community, name: "accompanied-first-visits", title: "Accompanied first visits", counts: made,
                               header: ["figure", "connections", "of", "%"],
                               rows: [["accompanied to the first visit", "\(c.accompanied)", "\(c.connections)", Self.percent(c.accompanied, of: c.connections)]]))
        out.append(ReportTable(level: .community, name: "demand-by-month", title: "Demand on each group: new people referred per month",
                               counts: "distinct people newly connected to each service, by the month the connection was made",
                               header: ["service"] + c.months + ["people"],
                               rows: c.demand.map { [$0.name] + $0.perMonth.map(String.init) + ["\($0.people)"] }))

        let sys = system
        var practiceRows = [["all GP practices", "\(sys.fromGPPractices)", "\(sys.referred)", Self.percent(sys.fromGPPractices, of: sys.referred)]]
        practiceRows += sys.byPractice.map { [$0.practice, "\($0.fromPractice)", "\($0.referrals)", Self.percent($0.fromPractice, of: $0.referrals)] }
        out.append(ReportTable(level: .system, name: "referrals-from-gp-practices", title: "Referrals from GP practices",
                               counts: "referred by a GP or practice staff, of \(sys.referred) \(cohort); by the person's registered practice",
                               header: ["practice", "from the practice", "of referrals", "%"], rows: practiceRows))
        out.append(ReportTable(level: .system, name: "caseload-by-worker", title: "Caseload per worker",
                               counts: "\(sys.openCasesAtEnd) open cases (referred, contacted or active) as at \(to), by assigned worker",
                               header: ["worker", "id", "team", "open cases"],
                               rows: sys.caseloadByWorker.map { [$0.name, $0.worker, $0.team ?? "", "\($0.openCases)"] }))
        out.append(ReportTable(level: .system, name: "overdue-by-worker", title: "Overdue follow-ups by worker",
                               counts: "\(sys.overdue) of \(sys.openFollowups) open follow-ups overdue as of \(options.asOf), by the worker each is assigned to",
                               header: ["worker", "id", "overdue", "of open follow-ups", "most days overdue"],
                               rows: sys.overdueByWorker.map { [$0.name, $0.worker, "\($0.overdue)", "\($0.openFollowups)", $0.mostDaysOverdue.map(String.init) ?? "–"] }))
        return out
    }
}
