import Foundation

/// One table of a report: what the command line prints, `--csv` writes (one file per table)
/// and the reports screen shows. `counts` says what the numbers count. Cells keep their
/// numbers, so the screen can say "3 of 5" and "60%" while a spreadsheet gets 3, 5 and 60.
public struct ReportTable: Sendable, Hashable {
    public enum Level: String, Sendable { case people, community, system }
    public var level: Level
    /// File name stem for `--csv` (`referrals-by-source` → `referrals-by-source.csv`).
    public var name: String
    public var title: String
    /// The denominator, in words: "of 40 people referred in the period".
    public var counts: String
    public var header: [String]
    public var cells: [[ReportCell]]

    init(level: Level, name: String, title: String, counts: String, header: [String], cells: [[ReportCell]]) {
        self.level = level; self.name = name; self.title = title; self.counts = counts; self.header = header; self.cells = cells
    }

    /// The cells as people read them.
    public var rows: [[String]] { cells.map { $0.map(\.text) } }

    /// For a spreadsheet: a count "of" a denominator becomes two columns (`with baseline`,
    /// `with baseline of`), so every numeric cell is one number.
    public var csvHeader: [String] {
        guard let first = cells.first else { return header }
        return zip(header, first).flatMap { h, c -> [String] in
            if case .of = c { return [h, h + " of"] }
            return [h]
        }
    }

    public var csvRows: [[ReportCell]] {
        cells.map { row in
            row.flatMap { c -> [ReportCell] in
                if case let .of(part, whole) = c { return [.count(part), .count(whole)] }
                return [c]
            }
        }
    }
}

public enum ReportCell: Sendable, Hashable {
    case text(String)
    case count(Int)
    /// A count out of a denominator.
    case of(Int, Int)
    /// A part as a percentage of a whole, rounded to a whole number; none when the whole is 0.
    case percent(Int, of: Int)
    /// At most two decimals; nil when there is nothing to show.
    case number(Double?)

    public var text: String {
        switch self {
        case .text(let s): return s
        case .count(let n): return "\(n)"
        case let .of(part, whole): return "\(part) of \(whole)"
        case let .percent(part, whole): return CaseloadReport.percent(part, of: whole)
        case .number(let x): return CaseloadReport.number(x)
        }
    }

    /// The number a spreadsheet should hold, or nil for text (and for no value).
    public var numeric: String? {
        switch self {
        case .text, .of: return nil
        case .count(let n): return "\(n)"
        case let .percent(part, whole): return whole == 0 ? nil : "\(Int((Double(part) * 100 / Double(whole)).rounded()))"
        case .number(let x): return x.map { CaseloadReport.number($0) }
        }
    }

    /// A number with no value (no denominator, no mean): an empty cell in a spreadsheet.
    public var isEmptyNumber: Bool {
        switch self {
        case let .percent(_, whole): return whole == 0
        case .number(let x): return x == nil
        default: return false
        }
    }
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
        var s = TwoDecimals.text(x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// Every table of the report, people first, in the order a reader takes them.
    public func tables() -> [ReportTable] {
        let n = people.referred
        // A person referred again counts once per episode: the cohort is then referrals.
        let perEpisode = people.people != n
        let cohort = perEpisode ? "referrals \(periodText) (one per episode of care, \(people.people) \(people.people == 1 ? "person" : "people"))"
                                : "people referred \(periodText)"
        func tally(_ name: String, _ title: String, _ what: String, _ rows: [Tally], of whole: Int, counts: String) -> ReportTable {
            ReportTable(level: .people, name: name, title: title, counts: counts, header: [what, "people", "of", "%"],
                        cells: rows.map { [.text($0.label), .count($0.count), .count(whole), .percent($0.count, of: whole)] })
        }
        var out: [ReportTable] = []
        out.append(ReportTable(level: .people, name: "referrals-by-month", title: "Referrals by month", counts: "\(n) \(cohort), by referral date",
                               header: ["month", "people"], cells: people.referralsByMonth.map { [.text($0.month), .count($0.count)] }))
        out.append(tally("referrals-by-source", "Referrals by source", "source", people.bySource, of: n, counts: "of \(n) \(cohort)"))
        out.append(tally("referrals-by-reason", "Referrals by reason", "reason", people.byReason, of: n,
                         counts: "of \(n) \(cohort); a referral can give several reasons"))
        let fc = people.firstContact
        out.append(ReportTable(
            level: .people, name: "first-contact", title: "Time from referral to first contact",
            counts: "of \(fc.referred) \(cohort); first contact = first session on or after the referral, up to \(to)",
            header: ["figure", "value", "of"],
            cells: [[.text("contacted"), .count(fc.contacted), .count(fc.referred)],
                    [.text("not contacted yet"), .count(fc.notYetContacted), .count(fc.referred)],
                    [.text("median days"), .number(fc.medianDays), .count(fc.contacted)],
                    [.text("90th percentile days"), .number(fc.p90Days.map(Double.init)), .count(fc.contacted)]]))
        let s = people.sessions
        out.append(ReportTable(
            level: .people, name: "sessions-per-person", title: "Sessions per person",
            counts: "of \(s.referred) \(cohort); sessions dated up to \(to); mean \(Self.number(s.meanPerPersonSeen)) per person seen (\(s.sessions) sessions, \(s.withASession) people)",
            header: ["sessions", "people", "of", "%"],
            cells: s.distribution.map { [.text($0.label), .count($0.count), .count(s.referred), .percent($0.count, of: s.referred)] }))
        out.append(tally("status-at-period-end", "Status at the end of the period", "status", people.statusAtEnd, of: n,
                         counts: "of \(n) \(cohort), as at \(to)"))
        out.append(ReportTable(
            level: .people, name: "measures", title: "Outcome measures: baseline to latest follow-up",
            counts: "of \(n) \(cohort); baseline = first measure, follow-up = latest up to \(to); changes are follow-up minus baseline",
            header: ["measure", "with baseline", "with follow-up", "mean baseline", "mean follow-up", "mean change", "better is"],
            cells: people.measures.map { m in
                [.text(m.label), .of(m.withBaseline, m.referred), .of(m.withBaselineAndFollowUp, m.referred),
                 .number(m.meanBaseline), .number(m.meanFollowUp), .number(m.meanChange), .text(m.lowerIsBetter ? "lower" : "higher")]
            }))
        out.append(ReportTable(
            level: .people, name: "measure-change", title: "Outcome measures: meaningful change",
            counts: "of the people with a baseline and a follow-up; a change of at least the threshold in the better direction is improved, in the worse direction worse",
            header: ["measure", "threshold", MeasureChange.Verdict.better.words, MeasureChange.Verdict.noMeaningfulChange.words, MeasureChange.Verdict.worse.words],
            cells: people.measures.map { m in
                let n = m.withBaselineAndFollowUp
                return [.text(m.label), .number(m.threshold), .of(m.improved, n), .of(m.noMeaningfulChange, n), .of(m.worsened, n)]
            }))

        let contactHeader = ["contacts", "attended", "did not attend", "DNA %", "no answer", "no answer %", "cancelled by the person", "cancelled by the service"]
        func contactCells(_ r: ContactRow) -> [ReportCell] {
            [.text(r.label), .count(r.contacts), .count(r.attended), .count(r.didNotAttend), .percent(r.didNotAttend, of: r.contacts),
             .count(r.noAnswer), .percent(r.noAnswer, of: r.contacts), .count(r.cancelledByPerson), .count(r.cancelledByService)]
        }
        let contactCounts = "of \(contacts.all.contacts) contacts dated \(periodText) (sessions, calls and attempts; DNA: did not attend)"
        out.append(ReportTable(level: .people, name: "contacts-by-worker", title: "Contact outcomes by worker",
                               counts: contactCounts + ", by the worker who recorded them", header: ["worker"] + contactHeader,
                               cells: ([contacts.all] + contacts.byWorker).map(contactCells)))
        out.append(ReportTable(level: .people, name: "contacts-by-source", title: "Contact outcomes by referral source",
                               counts: contactCounts + ", by the person's referral source", header: ["source"] + contactHeader,
                               cells: ([contacts.all] + contacts.bySource).map(contactCells)))

        let c = community
        let made = "of \(c.connections) connections made \(periodText)"
        func stages(_ name: String, _ title: String, _ what: String, _ rows: [StageRow]) -> ReportTable {
            ReportTable(level: .community, name: name, title: title, counts: "\(made), by stage reached as at \(to)",
                        header: [what, "connections"] + ConnectionStage.allCases.map(\.label) + ["signposted", "referred to"],
                        cells: rows.map { r in
                            [.text(r.label), .count(r.total)] + ConnectionStage.allCases.map { .count(r.count($0)) } + [.count(r.signposted), .count(r.referredTo)]
                        })
        }
        out.append(stages("connections-by-service", "Connections by service", "service", c.byService))
        out.append(stages("connections-by-category", "Connections by category", "category", c.byCategory))
        out.append(ReportTable(level: .community, name: "accompanied-first-visits", title: "Accompanied first visits", counts: made,
                               header: ["figure", "connections", "of", "%"],
                               cells: [[.text("accompanied to the first visit"), .count(c.accompanied), .count(c.connections), .percent(c.accompanied, of: c.connections)]]))
        out.append(ReportTable(level: .community, name: "demand-by-month", title: "Demand on each group: new people referred per month",
                               counts: "distinct people newly connected to each service, by the month the connection was made",
                               header: ["service"] + c.months + ["people"],
                               cells: c.demand.map { [.text($0.name)] + $0.perMonth.map { .count($0) } + [.count($0.people)] }))

        let sys = system
        var practiceRows: [[ReportCell]] = [[.text("all GP practices"), .count(sys.fromGPPractices), .count(sys.referred), .percent(sys.fromGPPractices, of: sys.referred)]]
        practiceRows += sys.byPractice.map { [.text($0.practice), .count($0.fromPractice), .count($0.referrals), .percent($0.fromPractice, of: $0.referrals)] }
        out.append(ReportTable(level: .system, name: "referrals-from-gp-practices", title: "Referrals from GP practices",
                               counts: "referred by a GP or practice staff, of \(sys.referred) \(cohort); by the person's registered practice",
                               header: ["practice", "from the practice", "of referrals", "%"], cells: practiceRows))
        out.append(ReportTable(level: .system, name: "caseload-by-worker", title: "Caseload per worker",
                               counts: "\(sys.openCasesAtEnd) open cases (referred, contacted or active) as at \(to), by assigned worker",
                               header: ["worker", "id", "team", "open cases"],
                               cells: sys.caseloadByWorker.map { [.text($0.name), .text($0.worker), .text($0.team ?? ""), .count($0.openCases)] }))
        out.append(ReportTable(level: .system, name: "overdue-by-worker", title: "Overdue follow-ups by worker",
                               counts: "\(sys.overdue) of \(sys.openFollowups) open follow-ups overdue as of \(options.asOf), by the worker each is assigned to",
                               header: ["worker", "id", "overdue", "of open follow-ups", "most days overdue"],
                               cells: sys.overdueByWorker.map {
                                   [.text($0.name), .text($0.worker), .count($0.overdue), .count($0.openFollowups), .number($0.mostDaysOverdue.map(Double.init))]
                               }))
        return out
    }
}
