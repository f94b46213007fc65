import CaseloadCore

/// The referral inbox's rows and selection.
public struct InboxScreenState: Sendable, Hashable {
    public var rows: [InboxEntry] = []
    public var selected = 0
    public init() {}
}
