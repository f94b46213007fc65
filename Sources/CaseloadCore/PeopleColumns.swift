import Foundation

/// The columns of a people spreadsheet that Caseload understands.
public enum PeopleColumn: String, CaseIterable, Sendable {
    case id, name, preferredName, nhsNumber, dateOfBirth, phone, address, gpPractice, worker, status, statusDate,
         referralDate, source, referrer, reasons, referralNote, consentSocialPrescribing, consentShareWithGP, lastContact, statusHistory, statusReason

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
