/// Word boundaries for Ctrl-W and the word moves, shared by the note's `TextBuffer` and the
/// app's one-line inputs so that both agree on what a word is.
public enum Words {
    /// The start of the word before `offset` (or of the word it is in).
    public static func start(in characters: [Character], before offset: Int) -> Int {
        var i = offset
        while i > 0, !isWordCharacter(characters, at: i - 1) { i -= 1 }
        while i > 0, isWordCharacter(characters, at: i - 1) { i -= 1 }
        return i
    }

    /// The end of the word after `offset` (or of the word it is in).
    public static func end(in characters: [Character], after offset: Int) -> Int {
        var i = offset
        while i < characters.count, !isWordCharacter(characters, at: i) { i += 1 }
        while i < characters.count, isWordCharacter(characters, at: i) { i += 1 }
        return i
    }

    /// Letters, digits and "_"; an apostrophe between letters too, so O'Brien is one word.
    static func isWordCharacter(_ characters: [Character], at i: Int) -> Bool {
        let c = characters[i]
        if c.isLetter || c.isNumber || c == "_" { return true }
        if c == "'" || c == "\u{2019}" {
            return i > 0 && i + 1 < characters.count
                && characters[i - 1].isLetter && characters[i + 1].isLetter
        }
        return false
    }
}
