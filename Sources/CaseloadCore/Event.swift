import Foundation

/// One immutable fact in the journal. The envelope identifies and orders it across devices;
/// the body says what happened. Nothing in the app changes state except folding these.
public struct Event: Sendable, Hashable, Codable {
    /// Unique across devices; sync and merge deduplicate on it.
    public let id: UUID
    /// The journal (device) that first wrote it.
    public let device: UUID
    /// 1, 2, 3… per device with no gaps: sync asks for "everything after seq N of device D".
    public let seq: UInt64
    public let clock: HLC
    /// Worker id of the person who made the change.
    public let author: String
    public let body: EventBody

    public init(id: UUID, device: UUID, seq: UInt64, clock: HLC, author: String, body: EventBody) {
        self.id = id
        self.device = device
        self.seq = seq
        self.clock = clock
        self.author = author
        self.body = body
    }

    /// The total order events are folded in, identical on every device.
    public static func foldOrder(_ a: Event, _ b: Event) -> Bool {
        if a.clock != b.clock { return a.clock < b.clock }
        // Byte order of the ids is the order of their `uuidString`s, without making strings.
        if a.device != b.device { return StateSnapshot.uuidBytesLess(a.device, b.device) }
        return a.seq < b.seq
    }

    enum CodingKeys: String, CodingKey { case id, device, seq, clock, author, type, body }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        device = try c.decode(UUID.self, forKey: .device)
        seq = try c.decode(UInt64.self, forKey: .seq)
        clock = try c.decode(HLC.self, forKey: .clock)
        author = try c.decode(String.self, forKey: .author)
        let type = try c.decode(String.self, forKey: .type)
        body = try EventBody.decode(type: type, from: c.superDecoder(forKey: .body))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(device, forKey: .device)
        try c.encode(seq, forKey: .seq)
        try c.encode(clock, forKey: .clock)
        try c.encode(author, forKey: .author)
        try c.encode(body.type, forKey: .type)
        try body.encodePayload(to: c.superEncoder(forKey: .body))
    }
}

extension Event {
    /// Compact JSON with sorted keys: the bytes a journal record carries. Through
    /// `FastEventEncoder`: byte for byte what JSONEncoder writes (sorted keys, slashes kept), faster.
    public func encoded() throws -> Data { FastEventEncoder.encode(self) }

    /// Through `FastEventDecoder`: same result as JSONDecoder, more than ten times faster.
    public static func decode(_ data: Data) throws -> Event { try data.withUnsafeBytes { try decode(bytes: $0) } }

    public static func decode(bytes: UnsafeRawBufferPointer) throws -> Event { try FastEventDecoder.decode(bytes) }
}

// `EventBody` and the body structs are generated from Schema/caseload.schema
// (Generated/Schema+Types.swift); what is not mechanical about them stays here.

extension ServiceAdded {
    public init(serviceId: UUID, name: String, organisation: String? = nil, category: String? = nil,
                contact: String? = nil, address: String? = nil, times: String? = nil,
                externalId: String? = nil, source: String? = nil, lastModified: String? = nil, details: ServiceDetails = ServiceDetails()) {
        let d = details
        self.init(serviceId: serviceId, name: name, organisation: organisation, category: category, contact: contact, address: address,
                  times: times, externalId: externalId, source: source, lastModified: lastModified, description: d.description,
                  eligibility: d.eligibility, ageRange: d.ageRange, cost: d.cost, languages: d.languages, accessibility: d.accessibility,
                  areas: d.areas, postcodes: d.postcodes)
    }

    public var details: ServiceDetails {
        get { ServiceDetails(description: description, eligibility: eligibility, ageRange: ageRange, cost: cost, languages: languages, accessibility: accessibility, areas: areas, postcodes: postcodes) }
        set { description = newValue.description; eligibility = newValue.eligibility; ageRange = newValue.ageRange; cost = newValue.cost; languages = newValue.languages; accessibility = newValue.accessibility; areas = newValue.areas; postcodes = newValue.postcodes }
    }
}
