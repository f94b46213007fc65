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

    public init(externalId: String, name: String, organisation: String? = nil, category: String? = nil, contact: String? = nil,
                address: String? = nil, times: String? = nil, lastModified: String? = nil) {
        self.externalId = externalId; self.name = name; self.organisation = organisation; self.category = category
        self.contact = contact; self.address = address; self.times = times; self.lastModified = lastModified
    }
}
