import ArgumentParser
import CaseloadCore
import Foundation

public struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: "Treat this date (YYYY-MM-DD) as today.")
    public var asOf: Day?

    public init() {}

    public var today: Day { asOf ?? Day.today(now: Date(), timeZone: .current) }
}

public struct JSONFlag: ParsableArguments {
    @Flag(name: .long, help: "Print JSON (stable camelCase fields, dates YYYY-MM-DD).")
    public var json = false

    public init() {}
}

extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
