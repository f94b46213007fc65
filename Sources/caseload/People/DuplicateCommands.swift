import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import Foundation

extension PatientCommand {
    /// Records that look like one person (two devices that added them offline), to merge or
    /// tell apart.
    struct Duplicates: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Records that look like the same person (the same NHS number, or the same name and date of birth), to merge or tell apart.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONFlag

        struct Row: Encodable {
            var keep: String
            var other: String
            var reason: String
        }

        func run() throws {
            let store = try data.open(.readOnly)
            let pairs = store.state.likelyDuplicates()
            if output.json {
                return try printJSON(pairs.map { Row(keep: $0.keep.lowercasedString, other: $0.other.lowercasedString, reason: $0.reason) })
            }
            if pairs.isEmpty { return say("No likely duplicates.") }
            for d in pairs {
                let k = store.state.patients[d.keep]!, o = store.state.patients[d.other]!
                say("\(shortId(k.id)) \(k.displayName) (referred \(k.referral.date)) and \(shortId(o.id)) \(o.displayName) (referred \(o.referral.date)): \(d.reason)")
            }
            say("Merge with `caseload patient merge KEEP OTHER` (everything of both is kept), or `caseload patient distinct A B` if they are different people.")
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge a duplicate record into the one kept: every contact, goal, measure, connection, follow-up and risk of both stays.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: "The record to keep (id prefix).") var keep: String
        @Argument(help: "The duplicate to merge into it (id prefix).") var other: String

        func run() throws {
            try resolve(data: data, asOf: asOf, keep: keep, other: other, merge: true, output: output)
        }
    }

    struct Distinct: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Two records that look alike are different people: they are not offered as duplicates again.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: "One record (id prefix).") var first: String
        @Argument(help: "The other (id prefix).") var second: String

        func run() throws {
            try resolve(data: data, asOf: asOf, keep: first, other: second, merge: false, output: output)
        }
    }

    static func resolve(data: DataOptions, asOf: AsOfOption, keep: String, other: String, merge: Bool, output: JSONFlag) throws {
        let store = try data.open()
        defer { store.close() }
        // Ids only: two records of one name are exactly what a name cannot tell apart.
        let k = try unwrap(store.state.resolvePatient(keep)), o = try unwrap(store.state.resolvePatient(other))
        try store.append(unwrap(Rules.resolveDuplicate(keep: k.id, other: o.id, merge: merge, state: store.state, context: asOf.rules(store))))
        if output.json { return try printJSON(PatientDetailJSON(store.state.patients[k.id]!, state: store.state, asOf: asOf.today)) }
        say(merge ? "Merged \(shortId(o.id)) into \(shortId(k.id)): everything of both is on \(shortId(k.id))"
                  : "\(shortId(k.id)) and \(shortId(o.id)) are different people; they are not offered as duplicates again")
    }
}

/// After a sync: the records that came in may name someone already here.
func sayLikelyDuplicates(_ state: CaseloadState) {
    let n = state.likelyDuplicates().count
    if n > 0 { say("\(n) likely duplicate\(n == 1 ? "" : "s") (the same person added on two devices?): caseload patient duplicates") }
}
