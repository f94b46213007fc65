/// The one line at the bottom that says what just happened.
public struct StatusMessage: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case info, saved, error }
    public var text: String
    public var kind: Kind

    public init(_ text: String, kind: Kind = .info) {
        self.text = text
        self.kind = kind
    }
}
