import Foundation

/// The message as a FHIR R4 document Bundle a practice system can take in: the Composition
/// first, its sections in the standard's order, then the Patient (NHS number under
/// `https://fhir.nhs.uk/Id/nhs-number`), the sender as Practitioner, PractitionerRole and
/// Organization, an Observation per assessment with its items as components, and a Procedure
/// per SNOMED CT code. Ids are `urn:uuid:`s derived from the data, so the same record on the
/// same day gives the same Bundle (the core has no randomness).
extension GPSummary {
    public static let nhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number"

    public var fhirBundle: [String: Any] {
        var ids = FHIRIds(seed: "\(patientId.uuidString)|\(writtenOn)")
        let patientRef = ids.next("Patient")
        let practitionerRef = ids.next("Practitioner")
        let roleRef = ids.next("PractitionerRole")
        let organisationRef = sender.organisation == nil ? nil : ids.next("Organization")
        var entries: [(String, [String: Any])] = []

        var patient: [String: Any] = ["resourceType": "Patient", "name": [["text": person.name]]]
        if let n = person.nhsNumberDigits { patient["identifier"] = [["system": GPSummary.nhsNumberSystem, "value": n]] }
        if let dob = person.dateOfBirth { patient["birthDate"] = dob.description }
        if let a = person.address { patient["address"] = [["text": a]] }
        entries.append((patientRef, patient))

        var practitioner: [String: Any] = ["resourceType": "Practitioner", "name": [["text": sender.name]]]
        if let c = sender.contact { practitioner["telecom"] = [GPSummary.telecom(c)] }
        entries.append((practitionerRef, practitioner))
        var role: [String: Any] = ["resourceType": "PractitionerRole", "practitioner": ["reference": practitionerRef],
                                   "code": [["text": sender.role]]]
        if let o = organisationRef { role["organization"] = ["reference": o] }
        entries.append((roleRef, role))
        if let o = organisationRef, let name = sender.organisation {
            var org: [String: Any] = ["resourceType": "Organization", "name": name]
            if let c = sender.contact { org["telecom"] = [GPSummary.telecom(c)] }
            entries.append((o, org))
        }

        var observationRefs: [String] = []
        for a in detail?.assessments ?? [] {
            let ref = ids.next("Observation")
            observationRefs.append(ref)
            var obs: [String: Any] = ["resourceType": "Observation", "status": "final", "code": ["text": "\(a.label) score"],
                                      "subject": ["reference": patientRef], "effectiveDateTime": a.date.description,
                                      "performer": [["reference": roleRef]],
                                      "component": a.items.map { ["code": ["text": $0.question], "valueInteger": $0.score] as [String: Any] }]
            if let v = a.value { obs["valueQuantity"] = ["value": v] } else { obs["valueString"] = a.total }
            entries.append((ref, obs))
        }

        var procedureRefs: [String] = []
        for c in codes {
            let ref = ids.next("Procedure")
            procedureRefs.append(ref)
            entries.append((ref, ["resourceType": "Procedure", "status": c.code == GPSummary.referralDeclined ? "not-done" : "completed",
                                  "code": ["coding": [["system": c.system, "code": c.code, "display": c.display]], "text": c.display],
                                  "subject": ["reference": patientRef], "performedDateTime": c.date.description,
                                  "performer": [["actor": ["reference": roleRef]]]]))
        }

        let compositionRef = ids.next("Composition")
        let fhirSections: [[String: Any]] = sections.map { s in
            var section: [String: Any] = ["title": s.title, "text": ["status": "generated", "div": GPSummary.narrative(s.lines)]]
            switch s.title {
            case "Person": section["entry"] = [["reference": patientRef]]
            case "Assessments" where !observationRefs.isEmpty: section["entry"] = observationRefs.map { ["reference": $0] }
            case "SNOMED CT codes" where !procedureRefs.isEmpty: section["entry"] = procedureRefs.map { ["reference": $0] }
            case "From": section["entry"] = [["reference": roleRef]]
            default: break
            }
            return section
        }
        var composition: [String: Any] = [
            "resourceType": "Composition", "status": "final",
            "type": ["text": "Social prescribing information back to GP"],
            "subject": ["reference": patientRef], "date": writtenOn.description,
            "author": [["reference": roleRef]], "title": "Social prescribing information back to GP",
            "section": fhirSections,
        ]
        if let o = organisationRef { composition["custodian"] = ["reference": o] }
        entries.insert((compositionRef, composition), at: 0)

        return ["resourceType": "Bundle", "type": "document",
                "identifier": ["system": "urn:ietf:rfc:3986", "value": ids.next("Bundle")],
                "timestamp": "\(writtenOn)T00:00:00Z",
                "entry": entries.map { ["fullUrl": $0.0, "resource": $0.1] as [String: Any] }]
    }

    /// The Bundle as JSON text, keys sorted so equal records give equal bytes.
    public var fhirJSON: String {
        guard let data = try? JSONSerialization.data(withJSONObject: fhirBundle, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A section's narrative: XHTML, one paragraph a line, escaped.
    static func narrative(_ lines: [String]) -> String {
        "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + lines.map { "<p>\(escapeHTML($0))</p>" }.joined() + "</div>"
    }

    static func telecom(_ contact: String) -> [String: Any] {
        ["system": contact.contains("@") ? "email" : "phone", "value": contact]
    }
}

/// `urn:uuid:` ids that depend only on the seed and the order they are asked for.
struct FHIRIds {
    let seed: String
    var count = 0

    mutating func next(_ kind: String) -> String {
        count += 1
        return "urn:uuid:" + FHIRIds.uuid("\(seed)|\(kind)|\(count)").lowercasedString
    }

    /// Two FNV-1a 64-bit hashes of the text, marked as an RFC 9562 version 8 (custom) UUID.
    static func uuid(_ text: String) -> UUID {
        func fnv(_ basis: UInt64) -> UInt64 {
            var h = basis
            for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
            return h
        }
        var bytes = (fnv(0xcbf29ce484222325).bigEndian, fnv(0x84222325cbf29ce4).bigEndian)
        return withUnsafeMutableBytes(of: &bytes) { b in
            b[6] = (b[6] & 0x0F) | 0x80
            b[8] = (b[8] & 0x3F) | 0x80
            return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
        }
    }
}
