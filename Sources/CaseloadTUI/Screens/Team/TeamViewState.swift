/// The supervisor's team view selection: rows are overdue follow-ups grouped by worker.
public struct TeamViewState: Sendable, Hashable {
    public var selected = 0
    public init() {}
}
