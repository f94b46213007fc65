import CaseloadCore
import Foundation

/// Choosing a service to connect someone to: type to search the directory (name, category,
/// place, postcode, day or any detail), Enter to read a service's details, Enter again to
/// connect.
public struct ServicePickerState: Sendable, Hashable {
    public var patientId: UUID
    public var query = TextInput()
    public var selected = 0
    /// Showing the details of the selected service.
    public var showingDetails = false

    public init(patientId: UUID) { self.patientId = patientId }

    /// The listed services that match the query, by name.
    public func rows(in caseload: CaseloadState) -> [Service] {
        let needle = SearchText.fold(query.text.trimmingCharacters(in: .whitespaces))
        return caseload.services.values.filter { $0.isListed && (needle.isEmpty || $0.matches(folded: needle)) }
            .sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }
    }
}
