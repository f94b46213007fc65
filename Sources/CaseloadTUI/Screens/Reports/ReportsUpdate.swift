import CaseloadCore

/// The reports screen's report: the same `CaseloadReport` as `caseload report`.
extension AppState {
    mutating func refreshReport() {
        let (from, to) = reports.period.range(asOf: asOf)
        let team = reports.scope == .myTeam ? myTeam : nil
        let worker = reports.scope == .mine ? workerId : nil
        reports.report = CaseloadReport.make(state: caseload, from: from, to: to, team: team, worker: worker, options: ReportOptions(asOf: asOf))
    }

    var myTeam: String? { caseload.workers[workerId]?.team }

    /// Everyone → my team (when I have one) → mine → everyone.
    var nextReportScope: ReportsViewState.Scope {
        switch reports.scope {
        case .everyone: return myTeam == nil ? .mine : .myTeam
        case .myTeam: return .mine
        case .mine: return .everyone
        }
    }

    var reportScopeLabel: String {
        switch reports.scope {
        case .everyone: return "everyone"
        case .myTeam: return "team \(myTeam ?? "")"
        case .mine: return "my caseload"
        }
    }

    /// p cycles the period, w whose caseload.
    mutating func reportsPerform(_ action: Action) -> [Effect]? {
        switch action {
        case .reportPeriod:
            reports.period = ReportsViewState.Period(rawValue: (reports.period.rawValue + 1) % ReportsViewState.Period.allCases.count)!
            reports.scroll = 0
            refreshReport()
            status = StatusMessage("Report period: \(reports.period.label)")
            return []
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            reports.scroll = scrolled(reports.scroll, action, max: ReportsView.maxScroll(self))
            return []
        case .reportScope:
            reports.scope = nextReportScope
            reports.scroll = 0
            refreshReport()
            status = StatusMessage("Report on \(reportScopeLabel)")
            return []
        default:
            return nil
        }
    }
}
