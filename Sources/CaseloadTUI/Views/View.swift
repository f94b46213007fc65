import CaseloadCore

/// Draws the whole screen for `state`. Pure: the same state always gives the same grid.
public func view(_ state: AppState) -> Grid {
    var grid = Grid(width: state.width, height: state.height)
    // Locked: the lock and nothing else, whatever the screen beneath.
    if state.lock != nil {
        LockView.draw(state, into: &grid)
        return grid
    }
    if state.isTooSmall {
        TooSmallView.draw(state, into: &grid)
        return grid
    }
    let (header, body, footer) = screenAreas(grid.area)
    Chrome.drawHeader(state, into: &grid, in: header)
    switch state.route {
    case .firstRun: FormView.draw(state, into: &grid, in: body)
    case .patientList: PatientListView.draw(state, into: &grid, in: body)
    case .patient: PatientView.draw(state, into: &grid, in: body)
    case .noteEditor: NoteEditorView.draw(state, into: &grid, in: body)
    case .followupQueue: FollowupQueueView.draw(state, into: &grid, in: body)
    case .inbox: InboxView.draw(state, into: &grid, in: body)
    case .teamView: TeamView.draw(state, into: &grid, in: body)
    case .form: FormView.draw(state, into: &grid, in: body)
    case .measureForm: MeasureFormView.draw(state, into: &grid, in: body)
    case .search: SearchView.draw(state, into: &grid, in: body)
    case .help: HelpView.draw(state, into: &grid, in: body)
    case .letter: LetterView.draw(state, into: &grid, in: body)
    case .history: HistoryView.draw(state, into: &grid, in: body)
    case .reports: ReportsView.draw(state, into: &grid, in: body)
    case .servicePicker: ServicePickerView.draw(state, into: &grid, in: body)
    case .draftOffer, .confirmQuit, .contactQuestion, .reReferralQuestion, .duplicateQuestion:
        // A question over the screen beneath it.
        var under = state
        under.routes.removeLast()
        if under.routes.isEmpty { under.routes = [.patientList] }
        if ![.draftOffer, .confirmQuit, .contactQuestion, .reReferralQuestion, .duplicateQuestion].contains(under.route) {
            grid = view(under)
        }
        QuestionView.draw(state, into: &grid, in: body)
    }
    Chrome.drawFooter(state, into: &grid, in: footer)
    return grid
}

/// Below the minimum size: say so, in as much as fits, and nothing else.
enum TooSmallView {
    static func draw(_ state: AppState, into grid: inout Grid) {
        let lines = state.route == .confirmQuit
            ? ["Terminal too small", "Quit? The note stays a draft.", "y quits · n stays"]
            : ["Terminal too small", "need \(AppState.minimumWidth)x\(AppState.minimumHeight), have \(state.width)x\(state.height)", "q quits"]
        let top = max(0, (state.height - lines.count) / 2)
        for (i, line) in lines.enumerated() where top + i < state.height {
            let t = DisplayWidth.truncate(line, columns: state.width)
            grid.put(t, x: max(0, (state.width - DisplayWidth.of(t)) / 2), y: top + i, role: i == 0 ? .warning : .normal)
        }
        grid.cursor = (0, 0)
    }
}

/// The header row, the body and the two footer rows: one place for the split, so a mouse
/// click can be mapped back to what was drawn under it.
func screenAreas(_ area: Rect) -> (header: Rect, body: Rect, footer: Rect) {
    let (header, rest) = area.splitTop(1)
    let (body, footer) = rest.splitBottom(2)
    return (header, body, footer)
}
