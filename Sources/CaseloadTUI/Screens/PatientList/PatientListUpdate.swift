import CaseloadCore
import CaseloadText
import Foundation

/// The patient list: its filter, status and worker filters, sort, and what it opens.
extension AppState {
    /// Typing a filter: letters go into it, the arrows still move; nil hands the key on.
    mutating func patientListKey(_ key: Key) -> [Effect]? {
        guard list.isFiltering else { return nil }
        if let c = key.typedCharacter { return typeFilter(String(c)) }
        if key == .up || key == .down || key == .pageUp || key == .pageDown {
            return moveList(key == .up ? .up : key == .down ? .down : key == .pageUp ? .pageUp : .pageDown)
        }
        return nil
    }

    mutating func patientListPerform(_ action: Action) -> [Effect]? {
        switch action {
        case .filter:
            // `/` again starts a fresh filter, as in less and vim: the old text is cleared.
            list.isFiltering = true
            if !list.filter.isEmpty {
                list.filter.clear()
                applyFilter()
            }
            return []
        case .finishFilter:
            list.isFiltering = false
            return []
        case .up, .down, .pageUp, .pageDown, .top, .bottom: return moveList(action)
        case .deleteBackward: return eraseFilter()
        case .clearFilter:
            list.isFiltering = false
            list.filter.clear()
            applyFilter()
            return []
        case .cycleStatus:
            list.status = list.status.next
            refreshList()
            status = StatusMessage("Showing \(list.status.label)")
            return []
        case .toggleMine:
            // Everyone → me → each colleague in name order → everyone.
            let others = caseload.workers.values.filter { $0.id != workerId }.sorted { $0.name < $1.name }.map(\.id)
            let cycle: [String?] = [nil, workerId] + others.map { Optional($0) }
            let i = cycle.firstIndex(of: list.worker) ?? 0
            list.worker = cycle[(i + 1) % cycle.count]
            refreshList()
            status = StatusMessage(list.worker.map { "Showing \($0 == workerId ? "your" : Format.workerName($0, caseload) + "'s") patients" } ?? "Showing everyone's patients")
            return [.rememberListView(listView)]
        case .sort:
            list.sort = list.sort.next
            refreshList()
            status = StatusMessage("Sorted by \(list.sort.label)")
            return [.rememberListView(listView)]
        case .addPatient:
            openForm(Forms.addPatient(asOf: asOf))
            return []
        case .showDrafts:
            offeredDrafts = myDrafts.map(\.id)
            if offeredDrafts.isEmpty { status = StatusMessage("No unsaved draft notes") } else { routes.append(.draftOffer) }
            return []
        default:
            return nil
        }
    }

    /// A paste while on the list types it into the filter, on one line.
    mutating func patientListPaste(_ text: String) -> [Effect] {
        list.isFiltering = true
        return typeFilter(text.replacingOccurrences(of: "\n", with: " "))
    }

    mutating func moveList(_ action: Action) -> [Effect] {
        list.selected = step(list.selected, action, list.rows.count)
        return []
    }

    mutating func typeFilter(_ text: String) -> [Effect] {
        list.filter.insert(text)
        list.selected = 0
        applyFilter()
        return []
    }

    mutating func eraseFilter() -> [Effect] {
        list.filter.deleteBackward()
        list.selected = 0
        applyFilter()
        return []
    }

    /// The list's worker filter and sort, as remembered between runs.
    public var listView: ListView { ListView(worker: list.worker, sort: list.sort) }

    /// Shows the list as it was last left; a worker no longer known shows everyone.
    public mutating func restore(_ view: ListView) {
        list.worker = view.worker.flatMap { caseload.workers[$0] == nil ? nil : $0 }
        list.sort = view.sort
        refreshList()
    }

    /// Re-sorts the list after the caseload, status filter, worker filter or sort changed,
    /// then re-applies the text filter.
    mutating func refreshList() {
        // Sorted as small keys, not as whole patients: moving 30,000 records about to sort
        // them was a tenth of opening a million events.
        struct SortKey { var id: UUID; var name: String; var rank: Int }
        var keys: [SortKey] = []
        let order = Dictionary(uniqueKeysWithValues: PatientStatus.allCases.enumerated().map { ($1, $0) })
        for p in caseload.patients.values where p.isInUse && list.status.includes(p.status) && (list.worker == nil || p.worker == list.worker) {
            let rank: Int
            switch list.sort {
            case .name: rank = 0
            case .nextFollowup: rank = caseload.nextFollowup(of: p.id)?.due.ordinal ?? Int.max
            // Longest without contact first: who needs a call.
            case .lastContact: rank = p.lastContact?.ordinal ?? Int.min
            case .status: rank = order[p.status]!
            }
            keys.append(SortKey(id: p.id, name: p.name, rank: rank))
        }
        if list.sort == .name {
            keys.sort { $0.name != $1.name ? $0.name < $1.name : $0.id.sortsBefore($1.id) }
        } else {
            keys.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.name < $1.name }
        }
        list.ordered = keys.map(\.id)
        list.restricted = caseload.restrictedCount
        list.appliedNeedle = "\u{0}"
        applyFilter()
    }

    /// Narrows `ordered` to the patients matching the typed filter, keeping the selection.
    mutating func applyFilter() {
        let keep = list.rows.indices.contains(list.selected) ? list.rows[list.selected] : nil
        let needle = SearchText.fold(list.filter.text.trimmingCharacters(in: .whitespaces))
        let compact = needle.filter { $0 != " " }
        let digits = !compact.isEmpty && compact.allSatisfy(\.isNumber) ? compact : nil
        if needle.isEmpty {
            list.rows = list.ordered
            list.rowKeys = []
        } else {
            let orderedKeys = list.orderedKeys ?? list.ordered.map { searchIndex.key($0) }
            list.orderedKeys = orderedKeys
            // Typing one more letter can only narrow what already matched.
            let narrowing = list.appliedNeedle != "\u{0}" && !list.appliedNeedle.isEmpty && needle.hasPrefix(list.appliedNeedle)
                && list.rowKeys.count == list.rows.count
            let (ids, keys) = narrowing ? (list.rows, list.rowKeys) : (list.ordered, orderedKeys)
            let bytes = Array(needle.utf8), digitBytes = digits.map { Array($0.utf8) }
            var rows: [UUID] = [], rowKeys: [PatientSearchIndex.Key?] = []
            for i in ids.indices where keys[i]?.matches(foldedNeedle: bytes, digits: digitBytes) ?? false {
                rows.append(ids[i])
                rowKeys.append(keys[i])
            }
            list.rows = rows
            list.rowKeys = rowKeys
        }
        list.appliedNeedle = needle
        if let keep, let i = list.rows.firstIndex(of: keep) { list.selected = i }
        list.selected = clamp(list.selected, list.rows.count)
    }
}
