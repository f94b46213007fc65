import Foundation

/// What a directory import would change, worked out before anything is written.
public struct DirectoryImportPlan: Sendable {
    public struct Update: Sendable { public var service: Service; public var entry: DirectoryEntry; public var changed: [String] }
    public var source: String
    public var added: [DirectoryEntry] = []
    public var updated: [Update] = []
    public var unchanged: [Service] = []
    public var removed: [Service] = []

    public var isEmpty: Bool { added.isEmpty && updated.isEmpty && removed.isEmpty }

    /// The events that carry the plan out: new services get fresh ids; changed ones keep
    /// theirs, so connections still point at them; removed ones are delisted, not deleted.
    public func events(on date: Day, newId: () -> UUID = UUID.init) -> [EventBody] {
        var bodies: [EventBody] = []
        for e in added { bodies.append(.serviceAdded(body(newId(), e))) }
        for u in updated { bodies.append(.serviceUpdated(body(u.service.id, u.entry))) }
        for s in removed { bodies.append(.serviceDelisted(ServiceDelisted(serviceId: s.id, date: date, reason: "no longer listed in \(source)"))) }
        return bodies
    }

    func body(_ id: UUID, _ e: DirectoryEntry) -> ServiceAdded {
        ServiceAdded(serviceId: id, name: e.name, organisation: e.organisation, category: e.category, contact: e.contact,
                     address: e.address, times: e.times, externalId: e.externalId, source: source, lastModified: e.lastModified,
                     details: e.details)
    }
}

extension CaseloadState {
    /// Matches a directory's services to ours by (source, external id): new ones are added,
    /// changed ones (any field or `last_modified`) updated, and ours that the directory no
    /// longer lists are delisted. Services added by hand are never touched.
    public func planDirectoryImport(_ entries: [DirectoryEntry], source: String) -> DirectoryImportPlan {
        var plan = DirectoryImportPlan(source: source)
        var ours: [String: Service] = [:]
        for s in services.values where s.source == source { if let x = s.externalId { ours[x] = s } }
        var listed: Set<String> = []
        for e in entries {
            listed.insert(e.externalId)
            guard let s = ours[e.externalId] else { plan.added.append(e); continue }
            var changed: [String] = []
            if s.name != e.name { changed.append("name") }
            if s.organisation != e.organisation { changed.append("organisation") }
            if s.category != e.category { changed.append("category") }
            if s.contact != e.contact { changed.append("contact") }
            if s.address != e.address { changed.append("address") }
            if s.times != e.times { changed.append("times") }
            if s.details != e.details { changed.append("details") }
            if s.lastModified != e.lastModified { changed.append("last_modified") }
            if !s.isListed { changed.append("listed again") }
            if changed.isEmpty { plan.unchanged.append(s) } else { plan.updated.append(.init(service: s, entry: e, changed: changed)) }
        }
        plan.removed = ours.values.filter { $0.isListed && !listed.contains($0.externalId!) }.sorted { $0.name < $1.name }
        return plan
    }
}
