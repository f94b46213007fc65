import CaseloadCore
import Foundation

/// Derived lists, recomputed when their inputs change rather than on every frame.
extension AppState {
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
        refreshInbox()
        counts = computeCounts(newReferrals: inbox.rows.count)
        refreshQueue()
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
        } else if let id = patient?.patientId {
            patient?.likelyDuplicate = caseload.likelyDuplicates(of: id).first
        }
    }

    /// Header counts, kept up to date by `caseloadChanged` rather than counted every frame.
    var headerCounts: HeaderCounts { counts }

    /// What is hers: her open patients, her overdue follow-ups (as `caseload overdue --worker`
    /// counts them) and those due today, and her new referrals: people referred to her and not
    /// yet seen, however long ago (Friday's still count on Monday). The team's are the team
    /// view, a key away.
    /// `newReferrals`: her inbox's length when the caller has just worked it out.
    func computeCounts(newReferrals: Int? = nil) -> HeaderCounts {
        var open = 0, review = 0
        for p in caseload.patients.values where p.status.isOpen && p.worker == workerId && p.isInUse {
            open += 1
            if caseload.reviewReason(of: p.id, after: reviewAfterMissed) != nil { review += 1 }
        }
        // Her inbox (`caseload inbox`), however old its referrals.
        let fresh = newReferrals ?? caseload.inbox(asOf: asOf, worker: workerId).count
        var overdue = 0, today = 0
        for f in caseload.followups.values where f.status == .open && f.worker == workerId {
            guard let p = caseload.patients[f.patientId], p.status.isOpen, p.isInUse else { continue }
            if f.due < asOf { overdue += 1 } else if f.due == asOf { today += 1 }
        }
        return HeaderCounts(patients: open, overdue: overdue, dueToday: today, newReferrals: fresh, review: review)
    }

    func clamp(_ i: Int, _ count: Int) -> Int { max(0, min(i, count - 1)) }
}
