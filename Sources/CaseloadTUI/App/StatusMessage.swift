/// The one line at the bottom that says what just happened.
public struct StatusMessage: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case info, saved, error }
    public var text: String
    public var kind: Kind
    /// Shorter wordings of the same message, longest first: the status line shows the first
    /// that fits rather than cutting the end (often what to press) off.
    public var shorter: [String]

    public init(_ text: String, kind: Kind = .info, shorter: [String] = []) {
        self.text = text
        self.kind = kind
        self.shorter = shorter
    }
}
