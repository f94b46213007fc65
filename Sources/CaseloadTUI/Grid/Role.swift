/// What a cell means, not how it looks: the theme turns a role into colours and attributes,
/// so views never name a colour and monochrome terminals still get bold/reverse/underline.
public enum Role: String, Sendable, Hashable, CaseIterable {
    case normal
    case dim
    case title
    case header
    case selected
    case overdue
    case dueToday
    case ok
    case warning
    case error
    case statusBar
    case keyHint
    case input
    case inputFocused
    case improved
    case declined
    case border
    case tabActive
    /// The text a search matched, inside a hit's snippet.
    case match
}
