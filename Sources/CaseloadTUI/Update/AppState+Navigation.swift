import CaseloadCore
import CaseloadText
import Foundation

/// Moving in whatever is on screen: each screen moves its own selection with `step`; the text
/// screens (help, the letter, the history) scroll with `scrollText`.
extension AppState {
    /// ↑ ↓ PgUp PgDn Home End on the help, the letter or the history: one line, a page, an end.
    mutating func scrollText(_ action: Action) -> [Effect] {
        helpScroll = scrolled(helpScroll, action, max: maxTextScroll)
        return []
    }

    /// A scroll position after `action`: a line, a page less one line, or an end. (The views
    /// clamp the scroll to their text.)
    func scrolled(_ top: Int, _ action: Action, max maxTop: Int) -> Int {
        let page = listHeight - 1
        switch action {
        case .top: return 0
        case .bottom: return maxTop
        case .up: return max(0, min(maxTop, top - 1))
        case .down: return max(0, min(maxTop, top + 1))
        case .pageUp: return max(0, min(maxTop, top - page))
        case .pageDown: return max(0, min(maxTop, top + page))
        default: return max(0, min(maxTop, top))
        }
    }

    /// How far the help or letter text can scroll on this screen.
    var maxTextScroll: Int {
        var under = self
        under.routes.removeLast()
        let bodyHeight = height - 3
        if route == .help {
            return max(0, HelpView.lines(for: under.context, width: width).count - bodyHeight)
        }
        if route == .history { return max(0, HistoryView.lines(self, width: width).count + 2 - bodyHeight) }
        guard let p = patient, let person = caseload.patients[p.patientId] else { return 0 }
        let lines = wordWrap(GPLetter.text(p.patientId, self), width: max(10, width - 4)).count
        return max(0, lines + LetterView.headerRows(person) - bodyHeight)
    }

    /// The next index after `action` in a list of `count` rows.
    func step(_ i: Int, _ action: Action, _ count: Int) -> Int {
        let page = max(1, listHeight - 1)
        let next: Int
        switch action {
        case .up: next = i - 1
        case .down: next = i + 1
        case .pageUp: next = i - page
        case .pageDown: next = i + page
        case .top: next = 0
        case .bottom: next = count - 1
        default: next = i
        }
        return clamp(next, count)
    }
}
