import CaseloadCore
import CaseloadText
import Foundation

/// One patient: a header with who they are and why they were referred, a tab bar, and the
/// focused pane (timeline, goals and outcomes, connections, follow-ups).
enum PatientView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        guard let pv = state.patient, let p = state.caseload.patients[pv.patientId] else {
            grid.line("This patient is no longer on the caseload.", in: rect, role: .dim)
            return
        }
        let (headRect, rest) = rect.splitTop(3)
        drawHeader(p, state, into: &grid, in: headRect)
        let (tabsRow, body) = rest.splitTop(1)
        drawTabs(pv.pane, into: &grid, in: tabsRow)
        var paneRect = body
        // The goals pane needs the width for its measures table.
        if rect.width >= GlancePanel.minimumWidth && pv.pane != .goals {
            let (left, right) = body.splitLeft(body.width * 11 / 20)
            paneRect = left
            GlancePanel.draw(p.id, state, skipping: pv.pane, into: &grid, in: right)
        }
        let selected = pv.selectedRow
        switch pv.pane {
        case .timeline:
            grid.drawList(timelineLines(p.id, state, width: paneRect.width - 2), selected: selected, in: paneRect,
                          emptyText: "No sessions yet: press n to write the first session note.")
        case .goals:
            GoalsPanel.draw(p.id, state, selected: selected, into: &grid, in: paneRect)
        case .connections:
            grid.drawList(connectionLines(p.id, state), selected: selected, in: paneRect,
                          emptyText: "No connections yet: press L to connect them to a community service.")
        case .followups:
            grid.drawList(followupLines(p.id, state), selected: selected, in: paneRect,
                          emptyText: "No follow-ups: press b to book one.")
        }
    }

    /// Three lines, laid out by priority so nothing a link worker acts on is cut: the name, the
    /// worker and the phone stay; age, NHS number, referrer and consent give way first.
    static func drawHeader(_ p: Patient, _ state: AppState, into grid: inout Grid, in rect: Rect) {
        grid.fill(rect)
        let room = rect.width - 2
        let workerFull = "worker " + Format.workerName(p.worker, state.caseload)
        let workerShort = "worker " + Format.workerShort(p.worker, state.caseload)
        let nameWidth = min(DisplayWidth.of(p.displayName), max(12, room - DisplayWidth.of(workerShort) - 2))
        let factsRoom = room - nameWidth - 2
        func facts(_ worker: String) -> [(text: String, rank: Int)] {
            [(p.nhsNumber.map { "NHS \($0.formatted)" } ?? "no NHS number", 3),
             (p.dateOfBirth.map { "\($0.age(on: state.asOf)) y" } ?? "", 4),
             (p.status.label, 2),
             (worker, 0)]
        }
        // The worker's full name unless the short one lets more facts stay.
        let full = Format.byPriority(facts(workerFull), width: factsRoom)
        let short = Format.byPriority(facts(workerShort), width: factsRoom)
        let keptFull = full.components(separatedBy: " · ").count, keptShort = short.components(separatedBy: " · ").count
        let factsText = DisplayWidth.of(full) <= factsRoom && keptFull >= keptShort ? full : short
        let line1 = [Span(DisplayWidth.truncate(p.displayName, columns: nameWidth), .title), Span("  " + factsText)]
        grid.draw(line1, x: rect.x + 1, y: rect.y, maxX: rect.maxX)

        let r = p.referral
        let reasons = r.reasons.isEmpty ? "reasons not recorded" : r.reasons.map(\.label).joined(separator: ", ")
        let who = r.referrer.map { " (\($0))" } ?? ""
        // Referred again: which episode this is, as `patient show` says it.
        let episodes = p.hasEarlierEpisodes ? p.episodes.count : 1
        let again = episodes > 1 ? "Episode \(episodes): referred" : "Referred"
        let referralWordings = [
            "\(again) \(r.date) by \(r.source.label)\(who): \(reasons)",
            "\(again) \(r.date) by \(r.source.label): \(reasons)",
            "\(again) \(r.date): \(reasons)",
            "Reasons: \(reasons)",
        ]
        let referral = referralWordings.first { DisplayWidth.of($0) <= room } ?? reasons
        grid.put(DisplayWidth.truncate(referral, columns: room), x: rect.x + 1, y: rect.y + 1)

        var line3: [(text: String, rank: Int)] = [(Format.consent(p), 3)]
        if let phone = p.phone { line3.append(("tel \(phone)", 0)) }
        if let last = p.statusHistory.last, let reason = last.reason, !p.status.isOpen {
            line3.append(("\(p.status.label): \(reason)", 1))
        }
        let drafts = state.caseload.drafts.values.filter { $0.patientId == p.id && $0.author == state.workerId }.count
        if drafts > 0 { line3.append(("\(drafts) unsaved draft\(drafts == 1 ? "" : "s") (n restores)", 2)) }
        // Open risks (the banner every screen about the person carries) and a review flag come
        // first, in the warning colour, with "!" for those who cannot see it.
        var x = rect.x + 1
        var warnings: [String] = []
        // First: a restricted record is read, never changed (the store refuses every change).
        if let r = p.restriction { warnings.append("! restricted since \(r.since): read only") }
        if let e = p.erasure { warnings.append("! erased on \(e.date): only what reports count is left") }
        if let risk = state.caseload.riskBanner(of: p.id) { warnings.append(risk) }
        if let why = state.caseload.reviewReason(of: p.id, after: state.reviewAfterMissed) { warnings.append("! review: \(why)") }
        if let pv = state.patient, pv.patientId == p.id, let d = pv.likelyDuplicate, let twin = state.caseload.patients[d.keep == p.id ? d.other : d.keep] {
            warnings.append("! may be a duplicate of \(twin.name)")
        }
        for w in warnings where x < rect.x + 1 + room {
            x += grid.put(DisplayWidth.truncate(w, columns: max(0, rect.x + 1 + room - x)), x: x, y: rect.y + 2, role: .warning) + 2
        }
        let left = max(0, rect.x + 1 + room - x)
        // Before the message to the GP is needed: what it lacks, so it is asked for in time, in
        // the longest wording that fits (never cut).
        let missing = GPSummary.missingForGP(p)
        if !missing.isEmpty {
            let short = missing.map { $0 == "NHS number" ? "NHS no." : "practice" }.joined(separator: ", ")
            let wordings = ["GP letter lacks \(missing.joined(separator: " and "))", "GP letter lacks \(short)", "lacks \(short)"]
            // In the room the rest leaves: consent and the phone come first.
            let others = DisplayWidth.of(Format.byPriority(line3, width: left))
            let room = left - others - (others > 0 ? 3 : 0)
            if let fits = wordings.first(where: { DisplayWidth.of($0) <= room }) { line3.append((fits, 4)) }
        }
        let text = Format.byPriority(line3, width: left)
        grid.put(DisplayWidth.truncate(text, columns: left), x: x, y: rect.y + 2, role: .dim)
    }

    static func drawTabs(_ pane: PatientPane, into grid: inout Grid, in rect: Rect) {
        grid.fill(rect, role: .border)
        var x = rect.x + 1
        for p in PatientPane.allCases {
            // Brackets mark the active pane for those who cannot see the colour.
            let label = p == pane ? "[\(p.title)]" : " \(p.title) "
            x += grid.put(label, x: x, y: rect.y, maxWidth: rect.maxX - x, role: p == pane ? .tabActive : .border) + 1
        }
    }

    static func timelineLines(_ patientId: UUID, _ state: AppState, width: Int) -> [ListLine] {
        var lines: [ListLine] = []
        for (i, item) in TimelineItem.of(patientId, in: state.caseload).enumerated() {
            let date = Span(item.date.description + "  ", .dim)
            switch item {
            case .session(let s):
                var what = s.outcome.isMissed ? "Missed · \(s.kind.label) · \(s.outcome.label)" : "Session · \(s.kind.label)"
                if let m = s.minutes { what += " · \(m) min" }
                what += " · " + Format.workerShort(s.author, state.caseload)
                if s.versions.count > 1 { what += " · amended \(s.versions.count - 1)×" }
                lines.append(ListLine([date, Span(what, .title)], item: i))
                // On its own line so a narrow screen cannot cut it off.
                if let note = s.conflictNote {
                    lines.append(ListLine([Span("  ! " + note + "; both are kept", .warning)], item: i, isItemStart: false))
                }
                let wrapped = wordWrap(s.note, width: max(10, width - 4))
                let limit = 8
                for (n, w) in wrapped.prefix(limit).enumerated() {
                    lines.append(ListLine([Span("  " + w.text)], item: i, isItemStart: false))
                    if n == limit - 1 && wrapped.count > limit {
                        lines.append(ListLine([Span("  … \(wrapped.count - limit) more lines (e opens the note)", .dim)], item: i, isItemStart: false))
                    }
                }
                // The other version is someone's note too: shown whole (as the note is), not cut.
                for v in s.conflictingVersions.dropLast() {
                    lines.append(ListLine([Span("  ! another version by \(Format.workerShort(v.author, state.caseload)):", .warning)],
                                          item: i, isItemStart: false))
                    let other = wordWrap(v.text, width: max(10, width - 6))
                    for (n, w) in other.prefix(limit).enumerated() {
                        lines.append(ListLine([Span("    " + w.text, .warning)], item: i, isItemStart: false))
                        if n == limit - 1 && other.count > limit {
                            lines.append(ListLine([Span("    … \(other.count - limit) more lines (patient show --json has every version)", .dim)],
                                                  item: i, isItemStart: false))
                        }
                    }
                }
            case .status(let c):
                lines.append(ListLine([date, Span("Status: \(c.status.label)" + (c.reason.map { " (\($0))" } ?? ""))], item: i))
            case .referredAgain(let e):
                let r = e.referral
                lines.append(ListLine([date, Span("Referred again: episode \(e.number), by \(r.source.label)"
                                                  + (r.referrer.map { " (\($0))" } ?? ""), .title)], item: i))
            case .goal(let g):
                lines.append(ListLine([date, Span("Goal set: \(g.text)")], item: i))
            case .measure(let m):
                lines.append(ListLine([date, Span("\(m.instrument.label): " + GoalsPanel.scoreText(m.score))], item: i))
                // A later questionnaire says how far the person has come since the first, in
                // the words the goals panel and the report use.
                if let baseline = state.caseload.measures(of: patientId).first(where: { $0.instrument == m.instrument && $0.score != nil }),
                   baseline.id != m.id, let a = baseline.score, let b = m.score {
                    let readings = ReportMeasure.of(m.instrument).compactMap { r in
                        r.value(of: a).flatMap { x in r.value(of: b).map { MeasureChange(measure: r, baseline: x, latest: $0) } }
                    }
                    let shown = readings.count == 1 ? readings : readings.filter { $0.verdict != .noMeaningfulChange }
                    let text = shown.isEmpty ? "no meaningful change on any item"
                        : shown.map { readings.count > 1 ? "\($0.measure.itemLabel) \($0.text)" : $0.text }.joined(separator: "; ")
                    let role: Role = shown.contains { $0.verdict == .worse } ? .declined : shown.contains { $0.verdict == .better } ? .improved : .dim
                    lines.append(ListLine([Span("    since \(baseline.date): " + text, role)], item: i, isItemStart: false))
                }
            case .connection(let c, let name):
                lines.append(ListLine([date, Span("Connected: \(name) (\(c.stage.label)\(c.accompanied ? ", accompanied" : ""))")], item: i))
            }
        }
        return lines
    }

    static func connectionLines(_ patientId: UUID, _ state: AppState) -> [ListLine] {
        state.caseload.connections(of: patientId).enumerated().map { i, c in
            let name = state.caseload.services[c.serviceId]?.name ?? "a service"
            var spans = [Span(DisplayWidth.pad(name, columns: 28)), Span(" " + DisplayWidth.pad(c.stage.label, columns: 12), c.stage == .droppedOut ? .warning : .normal)]
            if c.accompanied { spans.append(Span(" accompanied")) }
            if let since = c.history.last?.date { spans.append(Span(" since \(since)", .dim)) }
            return ListLine(spans, item: i)
        }
    }

    static func followupLines(_ patientId: UUID, _ state: AppState) -> [ListLine] {
        PatientRows.followups(patientId, state.caseload).enumerated().flatMap { i, f in
            var spans = [Span(f.due.description + "  ")]
            switch f.status {
            case .open:
                let d = Format.due(f.due, asOf: state.asOf)
                spans.append(Span(DisplayWidth.pad(d.text, columns: 17), d.role))
            case .done: spans.append(Span(DisplayWidth.pad("✓ done \(f.closedOn.map { "\($0)" } ?? "")", columns: 17), .dim))
            case .cancelled: spans.append(Span(DisplayWidth.pad("✗ cancelled", columns: 17), .dim))
            }
            spans.append(Span(" " + (f.reason ?? "follow-up")))
            spans.append(Span(" · " + Format.workerShort(f.worker, state.caseload), .dim))
            if !f.reschedules.isEmpty { spans.append(Span(" · moved \(f.reschedules.count)×", .dim)) }
            // Changed on two devices at once: said on its own line, with what resolves it.
            guard let conflict = f.conflict else { return [ListLine(spans, item: i)] }
            spans.append(Span(" !", .warning))
            return [ListLine(spans, item: i),
                    ListLine([Span("  ! \(conflict)", .warning)], item: i, isItemStart: false),
                    ListLine([Span("    d: it was done · r: keep it open at a new date", .dim)], item: i, isItemStart: false)]
        }
    }
}
