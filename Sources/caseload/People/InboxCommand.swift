import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import Foundation

/// New referrals waiting for a first contact, each with its age against the response deadline
/// (`response_deadline_days` in the config, default 14); accept or decline them here.
struct InboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "New referrals not yet seen, oldest first, with their age against the response deadline.",
        subcommands: [List.self, Accept.self, Decline.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the inbox (yours unless --all or --worker).")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Option(help: "Only this worker's (worker id).") var worker: String?
        @Flag(help: "Everyone's.") var all = false
        @Option(help: "Days a referral may wait for its first contact (default: the config's response_deadline_days, else 14).")
        var deadlineDays: Int?

        struct EntryJSON: Encodable {
            var patientId: String
            var name: String
            var worker: String?
            var referralDate: Day
            var source: ReferralSource
            var ageDays: Int
            var deadlineDays: Int
            var daysLeft: Int
            var late: Bool
        }

        func run() throws {
            let deadline = try InboxCommand.deadline(deadlineDays)
            let store = try data.open(.readOnly)
            defer { store.close() }
            let entries = store.state.inbox(asOf: asOf.today, worker: all ? nil : (worker ?? store.workerId), deadlineDays: deadline)
            if output.json {
                return try printJSON(entries.map {
                    EntryJSON(patientId: $0.patient.id.lowercasedString, name: $0.patient.name, worker: $0.patient.worker,
                              referralDate: $0.patient.referral.date, source: $0.patient.referral.source, ageDays: $0.ageDays,
                              deadlineDays: $0.deadlineDays, daysLeft: $0.daysLeft, late: $0.isLate)
                })
            }
            if entries.isEmpty { return say("No new referrals waiting as of \(asOf.today).") }
            var table = TextTable(["ID", "NAME", "WORKER", "REFERRED", "SOURCE", "AGE"])
            for e in entries {
                table.add([shortId(e.patient.id), e.patient.name, e.patient.worker ?? "", "\(e.patient.referral.date)",
                           e.patient.referral.source.label, (e.isLate ? "! " : "") + e.ageText])
            }
            table.print()
            let late = entries.filter(\.isLate).count
            say("\(entries.count) waiting\(late > 0 ? ", \(late) past the \(deadline)-day deadline" : "") as of \(asOf.today)")
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The person accepted the referral: they become contacted, out of the inbox.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String
        @Option(help: "A note on how it was agreed.") var reason: String?

        func run() throws {
            try PatientCommand.changeStatus(data: data, asOf: asOf, output: output, patient: patient, status: .contacted, reason: reason, followups: nil)
        }
    }

    struct Decline: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The person declined social prescribing: the case closes, coded 871711000000103 in the message to the GP, and counted in reports.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String
        @Option(help: "Why (needed).") var reason: String
        @Option(help: "Open follow-ups: complete or cancel them.") var followups: FollowupDisposal?

        func run() throws {
            try PatientCommand.changeStatus(data: data, asOf: asOf, output: output, patient: patient, status: .declined, reason: reason,
                                            followups: followups)
        }
    }

    /// The deadline from the flag, else the config, else 14; 1 to 365 days.
    static func deadline(_ flag: Int?) throws -> Int {
        if let flag {
            guard (1...365).contains(flag) else { throw CLIError("--deadline-days must be 1 to 365, not \(flag)") }
            return flag
        }
        return Caseload.settings.responseDeadlineDays
    }
}
