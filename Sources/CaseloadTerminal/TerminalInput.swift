import CaseloadTUI
/// What the terminal backend reads: a key, a paste, a new size.
enum TerminalInput: Sendable, Equatable {
    case key(Key)
    case paste(String)
    case resize(width: Int, height: Int)
    case mouse(MouseEvent)
}
