import CaseloadCore
import Foundation

/// Editing and submitting forms.
extension AppState {
    /// Keys that edit the focused field; nil when the key is not an editing key.
    mutating func formEditKey(_ key: Key) -> [Effect]? {
        guard var f = form else { return nil }
        var field = f.fields[f.focus]
        switch key {
        case .backspace: field.backspace()
        case .delete: field.deleteForward()
        case .left where !field.isChoice: field.moveCursor(-1)
        case .right where !field.isChoice: field.moveCursor(1)
        case .home: field.cursor = 0
        case .end: field.cursor = field.value.count
        case .char(" ") where field.isChoice: field.cycle(1)
        case .ctrl("u") where !field.isChoice:
            field.value = ""
            field.cursor = 0
        default: return nil
        }
        f.fields[f.focus] = field
        form = f
        return []
    }

    /// Enter: the next field, or submit on the last one.
    mutating func formEnter() -> [Effect] {
        guard var f = form else { return [] }
        if f.focus + 1 < f.fields.count {
            f.fields[f.focus].error = Forms.check(f.fields[f.focus], state: self)
            f.focus += 1
            form = f
            return []
        }
        return submitForm()
    }

    mutating func submitForm() -> [Effect] {
        guard let f = form else { return [] }
        var ids = self.ids
        defer { self.ids = ids }
        switch Forms.submit(f, state: self, ids: &ids) {
        case .invalid(let marked):
            form = marked
            status = StatusMessage(marked.message ?? "Check the form", kind: .error)
            return []
        case .append(let bodies, let purpose):
            status = StatusMessage("Saving…")
            return [.append(bodies, purpose: purpose)]
        case .initialize(let name, let team):
            status = StatusMessage("Setting up…")
            return [.initialize(workerName: name, team: team)]
        case .writeFile(let path, let contents):
            status = StatusMessage("Saving…")
            return [.writeFile(path: path, contents: contents)]
        }
    }
}
