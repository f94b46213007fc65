import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import Foundation

extension PatientCommand {
    /// A known person referred again: a new episode of care on the same record.
    struct Refer: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refer a known person again once their case has ended: a new episode with its own referral, contacts, goals, measures and outcome.")
        @OptionGroup var data: DataOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var output: JSONFlag
        @Argument(help: patientArgumentHelp) var patient: String
        @Option(help: "Referral source: \(ReferralSource.choices).") var source: ReferralSource = .other
        @Option(help: "Who referred them (e.g. Dr Patel).") var referrer: String?
        @Option(help: "A reason for referral (repeat for more): \(ReferralReason.choices).") var reason: [ReferralReason] = []
        @Option(help: "Referral date (default: today).") var referralDate: Day?
        @Option(help: "Free text about the referral.") var referralNote: String?
        @Option(help: "Worker id the new episode goes to (default: their worker).") var worker: String?
        @Option(help: "Schedule the new episode's first follow-up on this date.") var followup: Day?
        @Option(help: "The first follow-up's reason.") var followupReason = "First call"

        func run() throws {
            let store = try data.open()
            defer { store.close() }
            let p = try unwrap(store.state.resolvePatient(patient))
            let referral = Referral(date: referralDate ?? asOf.today, source: source, referrer: referrer, reasons: reason, text: referralNote)
            let input = ReReferralInput(patientId: p.id, referral: referral, worker: worker,
                                        firstFollowup: followup, followupReason: followup == nil ? nil : followupReason)
            switch Rules.referAgain(input, state: store.state, context: RuleContext(asOf: asOf.today)) {
            case .success(let bodies): try store.append(bodies)
            case .failure(let problems):
                throw CLIError(problems.items.map { $0.field == "reasons" ? $0.message + " (--reason)" : $0.field == "followup" ? $0.message + " (--followup)" : $0.message }.joined(separator: "; "))
            }
            let now = store.state.patients[p.id]!
            if output.json { return try printJSON(PatientDetailJSON(now, state: store.state, asOf: asOf.today)) }
            say("Referred \(shortId(p.id)) again: episode \(now.episodes.count), referred \(referral.date)")
        }
    }
}
