/// One terminal cell: the grapheme drawn in it and its role. The cell to the right of a
/// double-width grapheme is a continuation: it holds nothing and is never drawn itself.
public struct Cell: Sendable, Hashable {
    public var grapheme: Character
    public var role: Role
    public var isContinuation: Bool

    public init(grapheme: Character = " ", role: Role = .normal, isContinuation: Bool = false) {
        self.grapheme = grapheme
        self.role = role
        self.isContinuation = isContinuation
    }

    public static let blank = Cell()
}
