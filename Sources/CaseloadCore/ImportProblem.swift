import Foundation

/// What is wrong with one cell (or row, or file) of an import, and where.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: String?
    public var message: String
    public init(file: String, line: Int? = nil, column: String? = nil, _ message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }
    public var description: String {
        "\(file)" + (line.map { " line \($0)" } ?? "") + (column.map { ", column \"\($0)\"" } ?? "") + ": " + message
    }
}

/// Every problem found, not just the first: a person fixes a file once, not once per error.
public struct Problems<P: Sendable & Hashable>: Error, Sendable, Hashable {
    public var items: [P]
    public init(_ items: [P]) { self.items = items }
}

/// A one-line problem to show as it is.
public struct ImportMessage: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// An event an import will write; `author` keeps who wrote a session in the exported caseload.
public struct ImportedEvent: Sendable, Hashable {
    public var body: EventBody
    public var author: String?
}
