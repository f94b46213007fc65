import CaseloadCore
import Foundation
import TOMLKit

/// What `~/.config/caseload/config.toml` (or `$XDG_CONFIG_HOME/caseload/config.toml`) says,
/// with the default for every key it does not give. Every key is in the README's table.
public struct CaseloadSettings: Sendable, Equatable {
    /// `theme = "NAME"`, used when `--theme` is not given.
    public var theme: String?
    /// `mouse = false` turns clicks and the wheel off in the app.
    public var mouse = true
    /// The sender of the message back to the GP; each falls back to the worker's own details.
    public var sender = GPSummary.SenderConfig()
    /// Missed contacts in a row after which a person is flagged for review.
    public var missedContactsForReview = RuleContext.defaultReviewAfterMissed
    /// Days a referral may wait in the inbox before it is late.
    public var responseDeadlineDays = CaseloadState.defaultResponseDeadlineDays
    /// Minutes without a key before the app locks its screen; 0 never locks. A fraction is
    /// allowed (0.05 is 3 seconds, for tests).
    public var idleLockMinutes = 5.0

    public init() {}
}

public enum ConfigFile {
    /// Each key the file may hold, for the unknown-key message.
    static let keys = ["theme", "mouse", "sender_name", "sender_role", "sender_organisation", "sender_contact",
                       "missed_contacts_for_review", "response_deadline_days", "idle_lock_minutes"]

    public static func path(environment: [String: String]) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        return base + "/caseload/config.toml"
    }

    /// The settings from the config file; every default when there is no file.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws(TOMLFileError) -> CaseloadSettings {
        let path = path(environment: environment)
        guard FileManager.default.fileExists(atPath: path) else { return CaseloadSettings() }
        return try parse(TOMLDocument.read(path: path), file: path)
    }

    public static func parse(_ text: String, file: String) throws(TOMLFileError) -> CaseloadSettings {
        let doc = try TOMLDocument(text, file: file)
        try doc.onlyKeys(keys, in: doc.root, at: [])
        var s = CaseloadSettings()
        let root = doc.root
        if let v = root["theme"] { s.theme = try nonEmpty(doc.string(v, at: ["theme"])) }
        if let v = root["mouse"] { s.mouse = try doc.bool(v, at: ["mouse"]) }
        if let v = root["sender_name"] { s.sender.name = try nonEmpty(doc.string(v, at: ["sender_name"])) }
        if let v = root["sender_role"] { s.sender.role = try nonEmpty(doc.string(v, at: ["sender_role"])) }
        if let v = root["sender_organisation"] { s.sender.organisation = try nonEmpty(doc.string(v, at: ["sender_organisation"])) }
        if let v = root["sender_contact"] { s.sender.contact = try nonEmpty(doc.string(v, at: ["sender_contact"])) }
        if let v = root["missed_contacts_for_review"] {
            s.missedContactsForReview = try doc.int(v, in: 1...50, at: ["missed_contacts_for_review"])
        }
        if let v = root["response_deadline_days"] { s.responseDeadlineDays = try doc.int(v, in: 1...365, at: ["response_deadline_days"]) }
        if let v = root["idle_lock_minutes"] { s.idleLockMinutes = try doc.number(v, in: 0...1440, at: ["idle_lock_minutes"]) }
        return s
    }

    /// An empty string reads as the key not given, as the old reader did, so `sender_role = ""`
    /// keeps the default.
    private static func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }
}
