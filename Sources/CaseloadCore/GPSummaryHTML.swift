import Foundation

/// The message as one self-contained HTML page that prints on A4 from any browser: no
/// scripts, fonts, images or links to fetch, every piece of text escaped.
extension GPSummary {
    public var html: String {
        var out = """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <title>Social prescribing information back to GP</title>
            <style>
            @page { size: A4; margin: 18mm 16mm; }
            body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4; color: #000; max-width: 178mm; margin: 0 auto; }
            h1 { font-size: 15pt; margin: 0 0 6pt; }
            h2 { font-size: 12pt; margin: 12pt 0 3pt; border-bottom: 1px solid #000; page-break-after: avoid; }
            p { margin: 0 0 3pt; }
            section { page-break-inside: avoid; }
            </style>
            </head>
            <body>

            """
        out += "<h1>Social prescribing information back to GP</h1>\n"
        for line in heading { out += "<p>\(GPSummary.escapeHTML(line))</p>\n" }
        for s in sections {
            out += "<section>\n<h2>\(GPSummary.escapeHTML(s.title))</h2>\n"
            for line in s.lines { out += "<p>\(GPSummary.escapeHTML(line))</p>\n" }
            out += "</section>\n"
        }
        return out + "</body>\n</html>\n"
    }

    /// Escapes the five characters that mean something in HTML text and attributes.
    public static func escapeHTML(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters (a stray CR or ESC in a note) have no place on the page.
                if ch.value < 0x20 || ch.value == 0x7F { out += " " } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }
}
