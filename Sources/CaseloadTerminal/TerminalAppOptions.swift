import CaseloadTUI
import CaseloadCore
import Foundation
import CaseloadCrypto

/// How the executable starts the terminal app.
public struct TerminalAppOptions: Sendable {
    public var dataDirectory: URL
    /// "Today" for due dates; nil means the machine's date.
    public var asOf: Day?
    /// A theme from themes/*.toml; nil means default (or monochrome under NO_COLOR).
    public var themeName: String?
    /// A throwaway demo caseload: the header says DEMO.
    public var isDemo: Bool
    /// Clicks and the wheel (`mouse = false` in the config turns them off, for terminals where
    /// selecting text with the mouse matters more).
    public var mouse: Bool
    /// The sender of the message to the GP, from the config.
    public var sender: GPSummary.SenderConfig
    /// Missed contacts in a row that flag a person for review (config `missed_contacts_for_review`).
    public var reviewAfterMissed: Int
    /// Days a referral may wait for its first contact (config `response_deadline_days`).
    public var responseDeadlineDays = CaseloadState.defaultResponseDeadlineDays
    /// How the caseload's records are read and written: plain, or sealed with keys the
    /// command line unlocked before the app started.
    public var codec: EventCodec = .plain
    /// Seconds without input before the screen locks (config `idle_lock_minutes`); 0 never.
    public var idleLockSeconds = AppState.defaultIdleLockSeconds

    public init(dataDirectory: URL, asOf: Day? = nil, themeName: String? = nil, isDemo: Bool = false, mouse: Bool = true,
                sender: GPSummary.SenderConfig = .init(), reviewAfterMissed: Int = RuleContext.defaultReviewAfterMissed) {
        self.reviewAfterMissed = reviewAfterMissed
        self.mouse = mouse
        self.dataDirectory = dataDirectory
        self.asOf = asOf
        self.themeName = themeName
        self.isDemo = isDemo
        self.sender = sender
    }
}
