import Foundation

/// One worker in a supervisor's team view: their overdue follow-ups, caseload size, and when
/// their data last arrived, so old data is not mistaken for overdue work.
public struct WorkerOverview: Sendable, Hashable {
    /// Worker id; "" for follow-ups and patients assigned to nobody.
    public var worker: String
    public var name: String
    public var team: String?
    /// Patients with an open case.
    public var caseloadSize: Int
    public var overdue: [OverdueItem]
    /// Their newest event that has reached this device (a sync records one, so it is at least
    /// their last sync), and their last recorded sync.
    public var lastHeard: HLC?
    public var lastSync: HLC?
    /// The day of `lastHeard` in this machine's time zone.
    public var lastHeardDay: Day?
    /// The worker who uses this device: their data is always current here.
    public var isThisDevice: Bool
    /// Nothing from them for more than the allowed days before `asOf`: their overdue list may be out of date.
    /// Also when their data is dated after `asOf` (`isClockAhead`): when it last came cannot be told.
    public var isStale: Bool
    /// Their newest event is dated after `asOf`: a device with a wrong (or forged) clock sent it.
    public var isClockAhead = false
    /// Whether any device of this caseload has synced: a caseload kept on one device has no
    /// "last synced" to show.
    public var syncInUse: Bool
    /// Events their devices hold that the team server refused (as it last told us): their
    /// work there is incomplete whatever the rest of the row says.
    public var notOnServer = 0
}

extension CaseloadState {
    /// Every worker (of `team`, if given) with their overdue follow-ups, most overdue first.
    public func teamOverview(asOf: Day, team: String? = nil, thisWorker: String? = nil,
                             staleAfterDays: Int = 2, utcOffsetSeconds: Int, notOnServer: [String: Int] = [:]) -> [WorkerOverview] {
        let items = overdue(asOf: asOf, team: team)
        var sizes: [String: Int] = [:]
        for p in patients.values where p.status.isOpen { sizes[p.worker ?? "", default: 0] += 1 }
        var byWorker: [String: [OverdueItem]] = [:]
        for item in items { byWorker[item.worker, default: []].append(item) }
        var ids = Set(byWorker.keys)
        for (id, w) in workers where team == nil || w.team == team {
            // A supervisor with no caseload of their own is not a row of their team.
            if w.role == "supervisor", sizes[id] == nil { continue }
            ids.insert(id)
        }
        if team == nil { ids.formUnion(sizes.keys) }
        // The server reports only our own team's workers, known here or not yet.
        ids.formUnion(notOnServer.keys.filter { id in team == nil || workers[id].map { $0.team == team } ?? true })
        let syncInUse = workerActivity.values.contains { $0.lastSync != nil }
        return ids.map { id in
            let activity = workerActivity[id]
            let heard = activity.map(\.lastEvent).flatMap { $0 == .zero ? nil : $0 }
            let day = heard.map { WallClock(millis: $0.wallMillis, utcOffsetSeconds: utcOffsetSeconds).day }
            let mine = id == thisWorker
            let ahead = !mine && day.map { $0 > asOf } == true
            let stale = syncInUse && !mine && !id.isEmpty && (day.map { asOf.days(since: $0) > staleAfterDays || ahead } ?? true)
            var row = WorkerOverview(worker: id, name: workers[id]?.name ?? (id.isEmpty ? "unassigned" : id), team: workers[id]?.team,
                                     caseloadSize: sizes[id] ?? 0, overdue: byWorker[id] ?? [], lastHeard: heard,
                                     lastSync: activity?.lastSync, lastHeardDay: day, isThisDevice: mine, isStale: stale, isClockAhead: ahead,
                                     syncInUse: syncInUse)
            row.notOnServer = notOnServer[id] ?? 0
            return row
        }.sorted {
            let a = $0.overdue.first?.daysOverdue ?? -1, b = $1.overdue.first?.daysOverdue ?? -1
            if a != b { return a > b }
            if $0.name != $1.name { return $0.name < $1.name }
            return $0.worker < $1.worker
        }
    }
}

extension Day {
    /// "Mon 23 Nov", as people say a recent date.
    public var shortLabel: String {
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let c = components
        return "\(days[weekday]) \(c.day) \(months[c.month - 1])"
    }
}

extension WorkerOverview {
    /// "this device", "last synced Mon 23 Nov" or "last synced Mon 23 Nov — may be out of date";
    /// empty when nobody syncs.
    /// Then "— 45000 events the server refused" when their devices hold such events.
    public var syncLabel: String {
        if isThisDevice { return "this device" }
        let refused = notOnServer > 0 ? "\(notOnServer == 1 ? "1 event" : "\(notOnServer) events") the server refused" : ""
        return [syncedLabel, refused].filter { !$0.isEmpty }.joined(separator: " — ")
    }

    private var syncedLabel: String {
        guard syncInUse else { return "" }
        guard let day = lastHeardDay else { return worker.isEmpty ? "" : "nothing received yet — may be out of date" }
        if isClockAhead { return "data dated \(day) — their device's clock is ahead; suspect, may be out of date" }
        return "last synced \(day.shortLabel)" + (isStale ? " — may be out of date" : "")
    }
}
