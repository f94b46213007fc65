import Foundation

/// Reads Open Referral UK directories: a tabular data package (`datapackage.json` and a CSV
/// per table, in the ORUK v1 table names or HSDS 3's) or a JSON service list (the ORUK API's
/// `/services` page, `{"content": [...]}`, or a bare array). Every problem found is reported,
/// not just the first, and nothing is returned unless the whole package reads cleanly.
public enum OpenReferral {
    public struct Problem: Error, Hashable, CustomStringConvertible {
        public var file: String
        public var line: Int?
        public var message: String
        public init(_ file: String, line: Int? = nil, _ message: String) { self.file = file; self.line = line; self.message = message }
        public var description: String { file + (line.map { ":\($0)" } ?? "") + ": " + message }
    }

    /// Table names the importer reads, each with the names other versions of the standard use.
    static let tables: [String: [String]] = [
        "organization": ["organization", "organizations"],
        "service": ["service", "services"],
        "location": ["location", "locations"],
        "service_at_location": ["service_at_location", "service_at_locations"],
        "address": ["physical_address", "address", "addresses"],
        "contact": ["contact", "contacts"],
        "phone": ["phone", "phones"],
        "schedule": ["schedule", "regular_schedule", "schedules"],
        "taxonomy": ["taxonomy", "taxonomy_term", "taxonomy_terms"],
        "service_taxonomy": ["service_taxonomy", "attribute", "attributes"],
        "eligibility": ["eligibility", "eligibilitys", "eligibilities"],
        "language": ["language", "languages"],
        "accessibility": ["accessibility_for_disabilities", "accessibility", "accessibilities"],
        "service_area": ["service_area", "service_areas"],
        "cost_option": ["cost_option", "cost_options"],
    ]

    /// A tabular data package: `descriptor` is datapackage.json, `read` gives a resource's
    /// bytes by its path (nil when the file is missing).
    public static func entries(descriptor: Data, read: (String) -> Data?) -> Result<[DirectoryEntry], Problems<Problem>> {
        let dp = "datapackage.json"
        guard let json = try? JSONSerialization.jsonObject(with: descriptor), let root = json as? [String: Any] else {
            return .failure(Problems([Problem(dp, "not valid JSON")]))
        }
        guard let resources = root["resources"] as? [[String: Any]] else {
            return .failure(Problems([Problem(dp, "no \"resources\" list: is this a tabular data package?")]))
        }
        var problems: [Problem] = []
        var loaded: [String: (path: String, table: CSVTable)] = [:]
        for r in resources {
            guard let name = r["name"] as? String else { problems.append(Problem(dp, "a resource has no name")); continue }
            guard let table = tables.first(where: { $0.value.contains(name) })?.key else { continue }
            guard let path = r["path"] as? String, !path.isEmpty, !path.contains("..") else {
                problems.append(Problem(dp, "resource \"\(name)\" has no usable path")); continue
            }
            guard let bytes = read(path) else { problems.append(Problem(path, "listed in datapackage.json, but the file is missing")); continue }
            switch CSVTable.parse(bytes) {
            case .failure(let p): problems.append(Problem(path, p.description))
            case .success(let t):
                // The package declares its columns: anything else is a mistake (a typo, a
                // shifted header), and importing it would put values in the wrong place.
                if let schema = r["schema"] as? [String: Any], let fields = schema["fields"] as? [[String: Any]] {
                    let declared = Set(fields.compactMap { $0["name"] as? String })
                    for h in t.header where !declared.contains(h) {
                        problems.append(Problem(path, line: 1, "unknown column \"\(h)\" (not declared for \"\(name)\" in datapackage.json)"))
                    }
                }
                loaded[table] = (path, t)
            }
        }
        let named = Set(resources.compactMap { $0["name"] as? String })
        for required in ["organization", "service"] where named.isDisjoint(with: tables[required]!) {
            problems.append(Problem(dp, "no \(required) table (a package needs at least organization and service)"))
        }
        if !problems.isEmpty { return .failure(Problems(problems)) }
        return build(loaded, problems: &problems)
    }

    private static func build(_ t: [String: (path: String, table: CSVTable)], problems: inout [Problem]) -> Result<[DirectoryEntry], Problems<Problem>> {
        func rows(_ table: String) -> [(CSVRecord, CSVTable, String)] {
            guard let x = t[table] else { return [] }
            return x.table.rows.map { ($0, x.table, x.path) }
        }
        func require(_ table: String, _ columns: [String]) {
            guard let x = t[table] else { return }
            for c in columns where !x.table.has(c) { problems.append(Problem(x.path, line: 1, "no \"\(c)\" column")) }
        }
        require("organization", ["id", "name"])
        require("service", ["id", "name", "organization_id"])
        if !problems.isEmpty { return .failure(Problems(problems)) }

        var orgs: [String: String] = [:]
        for (r, tab, path) in rows("organization") {
            let id = tab.value(r, "id"), name = tab.value(r, "name")
            if id.isEmpty { problems.append(Problem(path, line: r.line, "organization has no id")); continue }
            if name.isEmpty { problems.append(Problem(path, line: r.line, "organization \(id) has no name")) }
            orgs[id] = name
        }
        // Locations and their addresses, by location id.
        var locations: [String: [String]] = [:]
        for (r, tab, _) in rows("location") {
            let parts = [tab.value(r, "name")] + addressParts(r, tab)
            locations[tab.value(r, "id"), default: []] += parts.filter { !$0.isEmpty }
        }
        for (r, tab, _) in rows("address") {
            locations[tab.value(r, "location_id"), default: []] += addressParts(r, tab)
        }
        var serviceLocations: [String: [String]] = [:]
        var salService: [String: String] = [:]
        for (r, tab, _) in rows("service_at_location") {
            serviceLocations[tab.value(r, "service_id"), default: []].append(tab.value(r, "location_id"))
            salService[tab.value(r, "id")] = tab.value(r, "service_id")
        }
        var terms: [String: String] = [:]
        for (r, tab, _) in rows("taxonomy") {
            let name = [tab.value(r, "name"), tab.value(r, "term")].first { !$0.isEmpty } ?? ""
            terms[tab.value(r, "id")] = name
        }
        var serviceTerms: [String: [String]] = [:]
        for (r, tab, _) in rows("service_taxonomy") {
            if tab.has("link_type") || tab.has("link_entity") {
                let entity = tab.value(r, tab.has("link_entity") ? "link_entity" : "link_type")
                guard entity.isEmpty || entity == "service" else { continue }
                serviceTerms[tab.value(r, "link_id"), default: []].append(tab.value(r, "taxonomy_term_id"))
            } else {
                serviceTerms[tab.value(r, "service_id"), default: []].append(tab.value(r, "taxonomy_id"))
            }
        }
        var contacts: [String: [String]] = [:]
        var contactService: [String: String] = [:]
        var contactText: [String: String] = [:]
        for (r, tab, _) in rows("contact") {
            let id = tab.value(r, "id"), sid = tab.value(r, "service_id")
            contactService[id] = sid
            contactText[id] = [tab.value(r, "name"), tab.value(r, "email")].filter { !$0.isEmpty }.joined(separator: " ")
        }
        var phonesByContact: [String: [String]] = [:]
        for (r, tab, _) in rows("phone") {
            let number = tab.value(r, "number")
            if !tab.value(r, "contact_id").isEmpty { phonesByContact[tab.value(r, "contact_id"), default: []].append(number) }
            else if !tab.value(r, "service_id").isEmpty { contacts[tab.value(r, "service_id"), default: []].append(number) }
        }
        for (id, sid) in contactService.sorted(by: { $0.key < $1.key }) {
            let text = ([contactText[id] ?? ""] + (phonesByContact[id] ?? [])).filter { !$0.isEmpty }.joined(separator: " ")
            if !text.isEmpty { contacts[sid, default: []].append(text) }
        }
        var schedules: [String: [ScheduleLine]] = [:]
        for (r, tab, _) in rows("schedule") {
            let sid = tab.value(r, "service_id").isEmpty ? (salService[tab.value(r, "service_at_location_id")] ?? "") : tab.value(r, "service_id")
            if !sid.isEmpty { schedules[sid, default: []].append(scheduleText(r, tab)) }
        }

        // Details kept per service (or per location, for accessibility and postcodes).
        var perService: [String: [String: [String]]] = [:]
        func keep(_ sid: String, _ field: String, _ value: String) {
            if !sid.isEmpty, !value.isEmpty { perService[sid, default: [:]][field, default: []].append(value) }
        }
        for (r, tab, _) in rows("eligibility") {
            keep(tab.value(r, "service_id"), "eligibility", [tab.value(r, "eligibility"), tab.value(r, "description")].first { !$0.isEmpty } ?? "")
            keep(tab.value(r, "service_id"), "ageRange", ageRange(tab.value(r, "minimum_age"), tab.value(r, "maximum_age")))
        }
        for (r, tab, _) in rows("language") { keep(tab.value(r, "service_id"), "languages", [tab.value(r, "language"), tab.value(r, "name")].first { !$0.isEmpty } ?? "") }
        for (r, tab, _) in rows("service_area") {
            keep(tab.value(r, "service_id"), "areas", [tab.value(r, "service_area"), tab.value(r, "name"), tab.value(r, "description")].first { !$0.isEmpty } ?? "")
        }
        for (r, tab, _) in rows("cost_option") {
            let amount = tab.value(r, "amount"), option = tab.value(r, "option")
            keep(tab.value(r, "service_id"), "cost", [amount.isEmpty ? "" : "£" + amount, option].filter { !$0.isEmpty }.joined(separator: " "))
        }
        var accessByLocation: [String: [String]] = [:]
        for (r, tab, _) in rows("accessibility") {
            let text = [tab.value(r, "accessibility"), tab.value(r, "description"), tab.value(r, "details")].filter { !$0.isEmpty }.joined(separator: ": ")
            if !text.isEmpty { accessByLocation[tab.value(r, "location_id"), default: []].append(text) }
        }
        var postcodesByLocation: [String: [String]] = [:]
        for (r, tab, _) in rows("address") {
            let pc = [tab.value(r, "postal_code"), tab.value(r, "postcode")].first { !$0.isEmpty } ?? ""
            if !pc.isEmpty { postcodesByLocation[tab.value(r, "location_id"), default: []].append(pc) }
        }
        for (r, tab, _) in rows("location") {
            let pc = [tab.value(r, "postal_code"), tab.value(r, "postcode")].first { !$0.isEmpty } ?? ""
            if !pc.isEmpty { postcodesByLocation[tab.value(r, "id"), default: []].append(pc) }
        }

        var entries: [DirectoryEntry] = []
        var seen: Set<String> = []
        for (r, tab, path) in rows("service") {
            let id = tab.value(r, "id"), name = tab.value(r, "name"), org = tab.value(r, "organization_id")
            if id.isEmpty { problems.append(Problem(path, line: r.line, "service has no id")); continue }
            if !hasText(name) { problems.append(Problem(path, line: r.line, "service \(id) has no name")); continue }
            if !seen.insert(id).inserted { problems.append(Problem(path, line: r.line, "service id \(id) appears twice")); continue }
            guard let orgName = orgs[org] else {
                problems.append(Problem(path, line: r.line, "service \(id) names organization \"\(org)\", which is not in the organization table"))
                continue
            }
            if ["inactive", "defunct"].contains(tab.value(r, "status").lowercased()) { continue }
            var contact = contacts[id] ?? []
            contact += [tab.value(r, "email"), tab.value(r, "url")].filter { !$0.isEmpty }
            let kept = perService[id] ?? [:]
            let locationIds = serviceLocations[id] ?? []
            let details = ServiceDetails(
                description: nonEmpty(tab.value(r, "description")),
                eligibility: joined((kept["eligibility"] ?? []) + [tab.value(r, "eligibility_description")]),
                ageRange: joined((kept["ageRange"] ?? []) + [ageRange(tab.value(r, "minimum_age"), tab.value(r, "maximum_age"))]),
                cost: joined([tab.value(r, "fees"), tab.value(r, "fees_description")] + (kept["cost"] ?? [])),
                languages: joined(kept["languages"] ?? []),
                accessibility: joined(locationIds.flatMap { accessByLocation[$0] ?? [] }),
                areas: joined(kept["areas"] ?? []),
                postcodes: joined(locationIds.flatMap { postcodesByLocation[$0] ?? [] }))
            entries.append(DirectoryEntry(
                externalId: id, name: name, organisation: orgName.isEmpty ? nil : orgName,
                category: joined((serviceTerms[id] ?? []).compactMap { terms[$0] }),
                contact: joined(contact),
                address: joined((serviceLocations[id] ?? []).map { (locations[$0] ?? []).joined(separator: ", ") }),
                times: scheduleSummary(schedules[id] ?? []),
                lastModified: nonEmpty(tab.value(r, "last_modified")), details: details).neutralised)
        }
        if !problems.isEmpty { return .failure(Problems(problems)) }
        return .success(entries)
    }

    /// A JSON service list: the ORUK API's `/services` page (`{"content": [...]}`), or an
    /// array of services, each with its organization, contacts, locations, schedules and
    /// taxonomies nested inside.
    public static func entries(json data: Data, file: String) -> Result<[DirectoryEntry], Problems<Problem>> {
        guard let json = try? JSONSerialization.jsonObject(with: data) else { return .failure(Problems([Problem(file, "not valid JSON")])) }
        let list: [Any]
        if let a = json as? [Any] { list = a }
        else if let o = json as? [String: Any], let a = (o["content"] ?? o["contents"] ?? o["services"]) as? [Any] { list = a }
        else if let o = json as? [String: Any], o["id"] != nil, o["name"] != nil { list = [o] }  // one service: `/services/{id}`
        else { return .failure(Problems([Problem(file, "neither a service, a list of services nor an ORUK API page with \"content\"")])) }
        var problems: [Problem] = []
        var entries: [DirectoryEntry] = []
        var seen: Set<String> = []
        for (i, item) in list.enumerated() {
            let at = "service \(i + 1)"
            guard let s = item as? [String: Any] else { problems.append(Problem(file, "\(at) is not an object")); continue }
            guard let id = string(s["id"]), !id.isEmpty else { problems.append(Problem(file, "\(at) has no id")); continue }
            guard let name = string(s["name"]), hasText(name) else { problems.append(Problem(file, "\(at) (\(id)) has no name")); continue }
            if !seen.insert(id).inserted { problems.append(Problem(file, "\(at): id \(id) appears twice")); continue }
            if ["inactive", "defunct"].contains((string(s["status"]) ?? "").lowercased()) { continue }
            let org = (s["organization"] as? [String: Any]).flatMap { string($0["name"]) }
            var contact: [String] = []
            for c in objects(s["contacts"]) {
                let phones = objects(c["phones"]).compactMap { string($0["number"]) }
                let text = ([string(c["name"]), string(c["email"])].compactMap { $0 } + phones).filter { !$0.isEmpty }.joined(separator: " ")
                if !text.isEmpty { contact.append(text) }
            }
            contact += objects(s["phones"]).compactMap { string($0["number"]) }
            contact += [string(s["email"]), string(s["url"])].compactMap { $0 }.filter { !$0.isEmpty }
            var places: [String] = [], postcodes: [String] = [], access: [String] = []
            let locs = objects(s["service_at_locations"]).compactMap { $0["location"] as? [String: Any] } + objects(s["locations"])
            for l in locs {
                var parts = [string(l["name"]) ?? ""] + addressParts(l)
                let addresses = objects(l["physical_addresses"]) + objects(l["addresses"])
                for a in addresses { parts += addressParts(a) }
                let text = parts.filter { !$0.isEmpty }.joined(separator: ", ")
                if !text.isEmpty { places.append(text) }
                postcodes += ([l] + addresses).compactMap { string($0["postal_code"]) ?? string($0["postcode"]) }
                access += (objects(l["accessibility_for_disabilities"]) + objects(l["accessibilities"]) + objects(l["accessibility"])).map { a in
                    [string(a["accessibility"]), string(a["description"]), string(a["details"])].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
                }
            }
            let eligibility = objects(s["eligibilitys"]) + objects(s["eligibilities"]) + objects(s["eligibility"])
            let costs = objects(s["cost_options"]).map { c in
                [string(c["amount"]).map { "£" + $0 } ?? "", string(c["option"]) ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
            }
            let details = ServiceDetails(
                description: string(s["description"]).flatMap(nonEmpty),
                eligibility: joined(eligibility.compactMap { string($0["eligibility"]) ?? string($0["description"]) }
                                    + [string(s["eligibility_description"]) ?? "", string(s["eligibility"]) ?? ""]),
                ageRange: joined(eligibility.map { ageRange(string($0["minimum_age"]) ?? "", string($0["maximum_age"]) ?? "") }
                                 + [ageRange(string(s["minimum_age"]) ?? "", string(s["maximum_age"]) ?? "")]),
                cost: joined([string(s["fees"]) ?? "", string(s["fees_description"]) ?? ""] + costs),
                languages: joined(objects(s["languages"]).compactMap { string($0["language"]) ?? string($0["name"]) }
                                  + ((s["languages"] as? [String]) ?? [])),
                accessibility: joined(access),
                areas: joined((objects(s["service_areas"]) + objects(s["service_area"])).compactMap {
                    string($0["service_area"]) ?? string($0["name"]) ?? string($0["description"])
                }),
                postcodes: joined(postcodes))
            let scheduleObjects = objects(s["regular_schedules"]) + objects(s["schedules"])
                + objects(s["service_at_locations"]).flatMap { objects($0["regular_schedules"]) + objects($0["schedules"]) }
            let times = scheduleObjects.map { o in scheduleText { string(o[$0]) ?? "" } }
            var categories = objects(s["service_taxonomys"]).compactMap { ($0["taxonomy"] as? [String: Any]).flatMap { string($0["name"]) } }
            categories += objects(s["taxonomies"]).compactMap { string($0["name"]) }
            categories += objects(s["attributes"]).compactMap { ($0["taxonomy_term"] as? [String: Any]).flatMap { string($0["name"] ?? $0["term"]) } }
            entries.append(DirectoryEntry(externalId: id, name: name, organisation: org, category: joined(categories), contact: joined(contact),
                                          address: joined(places), times: scheduleSummary(times), lastModified: string(s["last_modified"]),
                                          details: details).neutralised)
        }
        if !problems.isEmpty { return .failure(Problems(problems)) }
        return .success(entries)
    }

    // MARK: - Helpers

    static func addressParts(_ r: CSVRecord, _ t: CSVTable) -> [String] {
        ["address_1", "address_2", "city", "postcode", "postal_code"].map { t.value(r, $0) }.filter { !$0.isEmpty }
    }

    static func addressParts(_ o: [String: Any]) -> [String] {
        ["address_1", "address_2", "city", "postcode", "postal_code"].compactMap { string(o[$0]) }.filter { !$0.isEmpty }
    }

    static func scheduleText(_ r: CSVRecord, _ t: CSVTable) -> ScheduleLine { scheduleText { t.value(r, $0) } }

    /// One schedule row: its days and hours when it has them (its free-text description
    /// only when it has neither).
    struct ScheduleLine: Hashable {
        var days: [Int]   // 1 Monday … 7 Sunday
        var hours: String
        var description: String
    }

    static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// A weekday as the standards write it: RRULE `MO`…`SU` (HSDS 3 `byday`, also `1SA`),
    /// a name (`Thursday`, `Thu`), or HSDS 1.x's number, read as ISO 8601 (1 Monday … 7 Sunday).
    static func weekday(_ raw: String) -> Int? {
        let t = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if let n = Int(t), (1...7).contains(n) { return n }
        let codes = ["mo", "tu", "we", "th", "fr", "sa", "su"]
        if t.count >= 2, let i = codes.firstIndex(of: String(t.suffix(2))), t.dropLast(2).allSatisfy({ $0.isNumber || $0 == "-" }) { return i + 1 }
        for (i, name) in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].enumerated()
            where t.count >= 3 && name.hasPrefix(t) { return i + 1 }
        return nil
    }

    static func scheduleText(_ value: (String) -> String) -> ScheduleLine {
        let days = [value("byday"), value("weekday"), value("day")].first { !$0.isEmpty } ?? ""
        let numbers = days.split(separator: ",").compactMap { weekday(String($0)) }
        let opens = String(value("opens_at").prefix(5)), closes = String(value("closes_at").prefix(5))
        let hours = opens.isEmpty ? "" : closes.isEmpty ? opens : "\(opens)-\(closes)"
        return ScheduleLine(days: numbers, hours: hours, description: value("description"))
    }

    /// Days and times, days with the same hours together: "Thu, Fri 10:00-18:00; Sat 09:00-12:00".
    static func scheduleSummary(_ lines: [ScheduleLine]) -> String? {
        var order: [String] = []
        var days: [String: Set<Int>] = [:]
        var free: [String] = []
        for l in lines {
            if l.days.isEmpty && l.hours.isEmpty { free.append(l.description); continue }
            if days[l.hours] == nil { order.append(l.hours) }
            days[l.hours, default: []].formUnion(l.days)
        }
        let structured = order.map { hours in
            [days[hours]!.sorted().map { dayNames[$0 - 1] }.joined(separator: ", "), hours].filter { !$0.isEmpty }.joined(separator: " ")
        }
        return joined(structured + free)
    }

    static func ageRange(_ minimum: String, _ maximum: String) -> String {
        switch (Int(minimum), Int(maximum)) {
        case let (a?, b?): return "\(a)–\(b)"
        case let (a?, nil): return "\(a) and over"
        case let (nil, b?): return "up to \(b)"
        default: return ""
        }
    }

    static func string(_ v: Any?) -> String? {
        if let s = v as? String { return s.trimmingCharacters(in: .whitespaces) }
        if let n = v as? NSNumber { return n.stringValue }
        return nil
    }

    static func objects(_ v: Any?) -> [[String: Any]] { v as? [[String: Any]] ?? [] }

    static func joined(_ parts: [String]) -> String? {
        var seen: Set<String> = []
        let unique = parts.filter { !$0.isEmpty && seen.insert($0).inserted }
        return unique.isEmpty ? nil : unique.joined(separator: "; ")
    }

    static func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }

    /// Something to read once line breaks and control characters are gone.
    static func hasText(_ s: String) -> Bool { !s.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(.controlCharacters)).isEmpty }
}
