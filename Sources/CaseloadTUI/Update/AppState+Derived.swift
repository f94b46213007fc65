import CaseloadCore
import Foundation

/// Derived lists, recomputed when their inputs change rather than on every frame.
extension AppState {
    /// Re-sorts the list after the caseload, status filter, worker filter or sort changed,
    /// then re-applies the text filter.
    mutating func refreshList() {
        var patients = caseload.patients.values.filter { p in
            p.isInUse && list.status.includes(p.status) && (list.worker == nil || p.worker == list.worker)
        }
        // Sort keys computed once per patient, not once per comparison.
        switch list.sort {
        case .name:
            patients.sort { $0.name != $1.name ? $0.name < $1.name : $0.id.sortsBefore($1.id) }
        case .nextFollowup:
            let next = Dictionary(uniqueKeysWithValues: patients.map { ($0.id, caseload.nextFollowup(of: $0.id)?.due.ordinal ?? Int.max) })
            patients.sort { next[$0.id]! != next[$1.id]! ? next[$0.id]! < next[$1.id]! : $0.name < $1.name }
        case .lastContact:
            // Longest without contact first: who needs a call.
            patients.sort {
                let a = $0.lastContact?.ordinal ?? Int.min, b = $1.lastContact?.ordinal ?? Int.min
                return a != b ? a < b : $0.name < $1.name
            }
        case .status:
            let order = Dictionary(uniqueKeysWithValues: PatientStatus.allCases.enumerated().map { ($1, $0) })
            patients.sort { order[$0.status]! != order[$1.status]! ? order[$0.status]! < order[$1.status]! : $0.name < $1.name }
        }
        list.ordered = patients.map(\.id)
        list.restricted = caseload.patients.values.reduce(0) { $0 + ($1.isInUse ? 0 : 1) }
        list.appliedNeedle = "\u{0}"
        applyFilter()
    }

    /// Narrows `ordered` to the patients matching the typed filter, keeping the selection.
    mutating func applyFilter() {
        let keep = list.rows.indices.contains(list.selected) ? list.rows[list.selected] : nil
        let needle = SearchText.fold(list.filter.trimmingCharacters(in: .whitespaces))
        let compact = needle.filter { $0 != " " }
        let digits = !compact.isEmpty && compact.allSatisfy(\.isNumber) ? compact : nil
        if needle.isEmpty {
            list.rows = list.ordered
        } else {
            // Typing one more letter can only narrow what already matched.
            let base = list.appliedNeedle != "\u{0}" && !list.appliedNeedle.isEmpty && needle.hasPrefix(list.appliedNeedle) ? list.rows : list.ordered
            let bytes = Array(needle.utf8), digitBytes = digits.map { Array($0.utf8) }
            list.rows = base.filter { searchIndex.matches($0, foldedNeedle: bytes, digits: digitBytes) }
        }
        list.appliedNeedle = needle
        if let keep, let i = list.rows.firstIndex(of: keep) { list.selected = i }
        list.selected = clamp(list.selected, list.rows.count)
    }

    /// Rebuilds the follow-up queue: overdue (most overdue first), due today, the next 7 days.
    /// The selection stays at the same place in the list: after "done" or a reschedule the
    /// next person to call is under the cursor, as when working down a paper list.
    mutating func refreshQueue() {
        var rows: [FollowupQueueState.Row] = caseload.overdue(asOf: asOf).map { .init(followupId: $0.followupId, section: .overdue) }
        for f in caseload.openFollowups() where f.due >= asOf && f.due <= asOf.adding(days: 7) {
            rows.append(.init(followupId: f.id, section: f.due == asOf ? .today : .week))
        }
        queue.rows = rows
        queue.selected = clamp(queue.selected, rows.count)
    }

    /// Re-runs the note and goal search.
    mutating func refreshSearch() {
        if noteIndexStale {
            noteIndex.update(from: caseload)
            noteIndexStale = false
        }
        search.hits = noteIndex.search(query: search.query)
        search.selected = clamp(search.selected, search.hits.count)
    }

    /// After the caseload changed: every derived list and count follows.
    mutating func caseloadChanged() {
        // The filter index is brought up to date on the other core while the counts and the
        // queue are worked out here (a tenth of opening a large caseload). The list needs it
        // only when a filter is typed in.
        let index = searchIndex, caseload = caseload
        let indexing = BackgroundWork { () -> PatientSearchIndex in
            var updated = index
            updated.update(from: caseload)
            return updated
        }
        counts = computeCounts()
        refreshQueue()
        refreshInbox()
        if list.filter.isEmpty {
            refreshList()
            searchIndex = try! indexing.wait()
        } else {
            searchIndex = try! indexing.wait()
            refreshList()
        }
        noteIndexStale = true
        if route == .search || routes.contains(.search) { refreshSearch() }
        if routes.contains(.reports) { refreshReport() }
        if let p = patient, caseload.patients[p.patientId] == nil {
            // The patient's referral was undone: nothing left to show.
            patient = nil
            routes.removeAll { $0 == .patient || $0 == .noteEditor }
            if routes.isEmpty { routes = [.patientList] }
        }
    }

    /// Header counts, kept up to date by `caseloadChanged` rather than counted every frame.
    var headerCounts: HeaderCounts { counts }

    /// What is hers: her open patients, her overdue follow-ups (as `caseload overdue --worker`
    /// counts them) and those due today, and her new referrals: people referred to her and not
    /// yet seen, however long ago (Friday's still count on Monday). The team's are the team
    /// view, a key away.
    func computeCounts() -> HeaderCounts {
        var open = 0, review = 0
        for p in caseload.patients.values where p.status.isOpen && p.worker == workerId && p.isInUse {
            open += 1
            if caseload.reviewReason(of: p.id, after: reviewAfterMissed) != nil { review += 1 }
        }
        // Her inbox (`caseload inbox`), however old its referrals.
        let fresh = caseload.inbox(asOf: asOf, worker: workerId).count
        var overdue = 0, today = 0
        for f in caseload.followups.values where f.status == .open && f.worker == workerId {
            guard let p = caseload.patients[f.patientId], p.status.isOpen, p.isInUse else { continue }
            if f.due < asOf { overdue += 1 } else if f.due == asOf { today += 1 }
        }
        return HeaderCounts(patients: open, overdue: overdue, dueToday: today, newReferrals: fresh, review: review)
    }

    func clamp(_ i: Int, _ count: Int) -> Int { max(0, min(i, count - 1)) }
}

extension AppState {
    /// Her inbox, as `caseload inbox` lists it.
    mutating func refreshInbox() {
        inbox.rows = caseload.inbox(asOf: asOf, worker: workerId, deadlineDays: responseDeadlineDays)
        inbox.selected = clamp(inbox.selected, inbox.rows.count)
    }

    var selectedInboxPatient: Patient? {
        guard route == .inbox, inbox.rows.indices.contains(inbox.selected) else { return nil }
        return caseload.patients[inbox.rows[inbox.selected].patient.id]
    }
}
