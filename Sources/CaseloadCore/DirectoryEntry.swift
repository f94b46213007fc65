import Foundation

/// One service as a directory lists it, mapped to the fields of `caseload service add`.
public struct DirectoryEntry: Sendable, Hashable {
    public var externalId: String
    public var name: String
    public var organisation: String?
    public var category: String?
    public var contact: String?
    public var address: String?
    public var times: String?
    public var lastModified: String?
    public var details: ServiceDetails

    public init(externalId: String, name: String, organisation: String? = nil, category: String? = nil, contact: String? = nil,
                address: String? = nil, times: String? = nil, lastModified: String? = nil, details: ServiceDetails = ServiceDetails()) {
        self.externalId = externalId; self.name = name; self.organisation = organisation; self.category = category
        self.contact = contact; self.address = address; self.times = times; self.lastModified = lastModified; self.details = details
    }
}

extension DirectoryEntry {
    /// Line breaks, carriage returns and other control characters from the directory become
    /// spaces, so no imported text can overwrite a line on screen or split a table row.
    var neutralised: DirectoryEntry {
        func clean(_ s: String?) -> String? {
            s.map { t in String(String.UnicodeScalarView(t.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? " " : $0 }))
                .trimmingCharacters(in: .whitespaces) }
        }
        var e = self
        e.name = clean(name) ?? name
        e.organisation = clean(organisation); e.category = clean(category); e.contact = clean(contact)
        e.address = clean(address); e.times = clean(times)
        var d = details
        d.description = clean(d.description); d.eligibility = clean(d.eligibility); d.ageRange = clean(d.ageRange)
        d.cost = clean(d.cost); d.languages = clean(d.languages); d.accessibility = clean(d.accessibility)
        d.areas = clean(d.areas); d.postcodes = clean(d.postcodes)
        e.details = d
        return e
    }
}

/// What describes a service beyond its name, place and times: what it is, who it is for,
/// what it costs, and how to get there. Kept from Open Referral UK and HSDS imports (or typed
/// by hand), shown by `caseload service show` and searched.
public struct ServiceDetails: Sendable, Hashable, Codable {
    public var description: String?
    public var eligibility: String?
    public var ageRange: String?
    public var cost: String?
    public var languages: String?
    public var accessibility: String?
    public var areas: String?
    public var postcodes: String?

    public init(description: String? = nil, eligibility: String? = nil, ageRange: String? = nil, cost: String? = nil, languages: String? = nil, accessibility: String? = nil, areas: String? = nil, postcodes: String? = nil) {
        self.description = description; self.eligibility = eligibility; self.ageRange = ageRange; self.cost = cost; self.languages = languages; self.accessibility = accessibility; self.areas = areas; self.postcodes = postcodes
    }

    /// Label and value of each field that has one, in reading order.
    public var labelled: [(label: String, value: String)] {
        [
            ("About", description),
            ("Who it is for", eligibility),
            ("Ages", ageRange),
            ("Cost", cost),
            ("Languages", languages),
            ("Accessibility", accessibility),
            ("Areas served", areas),
            ("Postcodes", postcodes),
        ].compactMap { l, v in v.flatMap { $0.isEmpty ? nil : (l, $0) } }
    }
}
