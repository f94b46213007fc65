/// Wraps `text` to lines at most `width` display columns wide.
///
/// - Paragraphs are separated by newlines; each starts a new line, and an empty paragraph is an
///   empty line, so blank lines between paragraphs are kept. A trailing newline gives a last
///   empty line (where a cursor after it would be).
/// - Lines break after spaces; the spaces stay at the end of the earlier line. A word wider than
///   a whole line is broken between grapheme clusters.
/// - Widths are display columns (`displayWidth`), so 王 counts 2 and é counts 1.
/// - Empty text gives one empty line. A width below 1 is treated as 1.
public func wordWrap(_ text: String, width: Int) -> [WrappedLine] {
    wordWrap(Array(text), width: width)
}

/// `wordWrap` over text already split into grapheme clusters; ranges index `characters`.
public func wordWrap(_ characters: [Character], width: Int) -> [WrappedLine] {
    let width = max(1, width)
    let widths = characters.map { displayWidth(of: $0) }
    var lines: [WrappedLine] = []

    func emit(_ range: Range<Int>, endsParagraph: Bool) {
        var end = range.upperBound
        var lineWidth = widths[range].reduce(0, +)
        // The spaces a line was broken after are not drawn; nor are spaces typed at the end of a
        // paragraph that hang past the edge.
        while end > range.lowerBound, isBreakSpace(characters[end - 1]),
              !endsParagraph || lineWidth > width {
            end -= 1
            lineWidth -= widths[end]
        }
        lines.append(WrappedLine(
            range: range,
            text: String(characters[range.lowerBound..<end]),
            width: lineWidth,
            endsParagraph: endsParagraph
        ))
    }

    var paragraphStart = 0
    while true {
        var paragraphEnd = paragraphStart
        while paragraphEnd < characters.count, !characters[paragraphEnd].isNewline {
            paragraphEnd += 1
        }

        var lineStart = paragraphStart
        var lineWidth = 0
        var i = paragraphStart
        while i < paragraphEnd {
            if isBreakSpace(characters[i]) {
                // Spaces always join the current line, even past the edge (they hang).
                lineWidth += widths[i]
                i += 1
                continue
            }
            var wordEnd = i
            var wordWidth = 0
            while wordEnd < paragraphEnd, !isBreakSpace(characters[wordEnd]) {
                wordWidth += widths[wordEnd]
                wordEnd += 1
            }
            if lineWidth + wordWidth <= width {
                lineWidth += wordWidth
                i = wordEnd
                continue
            }
            if i > lineStart {
                // The word does not fit after what is on this line: start a new line with it.
                emit(lineStart..<i, endsParagraph: false)
                lineStart = i
                lineWidth = 0
                if wordWidth <= width {
                    lineWidth = wordWidth
                    i = wordEnd
                    continue
                }
            }
            // Wider than a whole line: break it between grapheme clusters.
            for k in i..<wordEnd {
                if lineWidth + widths[k] > width, k > lineStart {
                    emit(lineStart..<k, endsParagraph: false)
                    lineStart = k
                    lineWidth = 0
                }
                lineWidth += widths[k]
            }
            i = wordEnd
        }
        emit(lineStart..<paragraphEnd, endsParagraph: true)

        if paragraphEnd >= characters.count { break }
        paragraphStart = paragraphEnd + 1
    }
    return lines
}

/// Where a line may break. A no-break space (U+00A0) is deliberately not one.
func isBreakSpace(_ character: Character) -> Bool {
    character == " " || character == "\t" || character == "\u{3000}"
}
