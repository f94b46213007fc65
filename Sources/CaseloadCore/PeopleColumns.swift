import Foundation

/// The columns of a people spreadsheet that Caseload understands: what `import caseload`
/// reads and, in this order, what `export --format csv` writes to patients.csv, so an export
/// imports back whole.
public enum PeopleColumn: String, CaseIterable, Sendable {
    case id, name, preferredName, nhsNumber, dateOfBirth, phone, address, gpPractice, worker, status,
         referralDate, source, referrer, reasons, consentSocialPrescribing, consentShareWithGP, lastContact,
         statusDate, referralNote, statusHistory, statusReason

    /// The cell `export` writes for this column (the import reads it back in `CaseloadImport`).
    public func exported(_ p: Patient) -> String {
        switch self {
        case .id: return p.id.lowercasedString
        case .name: return p.name
        case .preferredName: return p.preferredName ?? ""
        case .nhsNumber: return p.nhsNumber?.digits ?? ""
        case .dateOfBirth: return p.dateOfBirth?.description ?? ""
        case .phone: return p.phone ?? ""
        case .address: return p.address ?? ""
        case .gpPractice: return p.gpPractice ?? ""
        case .worker: return p.worker ?? ""
        case .status: return p.status.rawValue
        case .referralDate: return p.referral.date.description
        case .source: return p.referral.source.rawValue
        case .referrer: return p.referral.referrer ?? ""
        case .reasons: return p.referral.reasons.map(\.rawValue).joined(separator: ";")
        case .consentSocialPrescribing: return p.consent[.socialPrescribing].map { $0.given ? "yes" : "no" } ?? ""
        case .consentShareWithGP: return p.consent[.shareWithGP].map { $0.given ? "yes" : "no" } ?? ""
        case .lastContact: return p.lastContact?.description ?? ""
        case .statusDate: return p.statusHistory.last?.date.description ?? ""
        case .referralNote: return p.referral.text ?? ""
        case .statusHistory: return p.statusHistory.map { "\($0.status.rawValue):\($0.date)" }.joined(separator: ";")
        case .statusReason: return p.statusHistory.last?.reason ?? ""
        }
    }

    /// Headers people commonly use, folded (lowercase letters and digits only).
    static let headers: [String: PeopleColumn] = {
        var h: [String: PeopleColumn] = [:]
        let names: [PeopleColumn: [String]] = [
            .id: ["id"],
            .name: ["name", "fullname", "patientname", "clientname", "patient", "client", "person"],
            .preferredName: ["preferredname", "knownas"],
            .nhsNumber: ["nhsnumber", "nhsno", "nhs", "nhsnum"],
            .dateOfBirth: ["dateofbirth", "dob", "birthdate", "born"],
            .phone: ["phone", "telephone", "tel", "mobile", "phonenumber", "contactnumber"],
            .address: ["address", "homeaddress"],
            .gpPractice: ["gppractice", "practice", "gpsurgery", "surgery", "gp"],
            .worker: ["worker", "linkworker", "assignedto", "caseworker"],
            .status: ["status", "casestatus"],
            .statusDate: ["statusdate", "statussince"],
            .referralDate: ["referraldate", "datereferred", "referredon", "dateofreferral"],
            .source: ["source", "referralsource", "referrertype"],
            .referrer: ["referrer", "referrername", "referredby"],
            .reasons: ["reasons", "reason", "referralreason", "referralreasons", "needs"],
            .referralNote: ["referralnote", "referraltext"],
            .consentSocialPrescribing: ["consentsocialprescribing", "consent", "consented"],
            .consentShareWithGP: ["consentsharewithgp", "sharewithgp", "gpconsent", "consenttosharewithgp"],
            .lastContact: ["lastcontact"],
            .statusHistory: ["statushistory"],
            .statusReason: ["statusreason", "dischargereason"],
        ]
        for (c, list) in names { for n in list { h[n] = c } }
        return h
    }()

    /// Lowercase letters and digits only, so "NHS No." and "nhsno" are one header.
    public static func fold(_ s: String) -> String { String(s.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }) }
}

/// Which header in the file holds which column: from a mapping file (read by CaseloadConfig's
/// `ColumnMappingFile`, which is TOML), else recognised.
public struct ColumnMapping: Sendable, Hashable {
    public var columns: [PeopleColumn: String] = [:]
    public var ignored: Set<String> = []
    public init() {}
}
