/// One line on screen of a text wrapped to a width, with where it came from in the text.
///
/// Offsets count grapheme clusters (Swift `Character`s) from the start of the text, the same
/// units as `TextBuffer.cursor`, so an editor can map the cursor to a row and column.
public struct WrappedLine: Sendable, Equatable {
    /// The characters of the text this line covers. It never includes a newline. A line that was
    /// wrapped includes the spaces it was broken after, so consecutive lines of one paragraph
    /// cover it without gaps: `lines[i].range.upperBound == lines[i + 1].range.lowerBound`.
    /// An empty paragraph (a blank line) is an empty range at its position.
    public var range: Range<Int>
    /// What to draw: the characters of `range`, less the spaces a wrapped line was broken after
    /// (and spaces at the end of a paragraph that would run past the width). Never wider than
    /// the width unless a single grapheme cluster is.
    public var text: String
    /// Display columns of `text`.
    public var width: Int
    /// True for the last line of a paragraph (followed by a newline or the end of the text);
    /// false when the paragraph continues on the next line.
    public var endsParagraph: Bool

    public init(range: Range<Int>, text: String, width: Int, endsParagraph: Bool) {
        self.range = range
        self.text = text
        self.width = width
        self.endsParagraph = endsParagraph
    }
}
