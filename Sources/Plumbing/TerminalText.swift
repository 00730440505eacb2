/// Text from files and file names made safe to print on a terminal.
public enum TerminalText {
    /// `text` with control characters (escape sequences, carriage returns, bells...) written as
    /// `\u{1B}`-style escapes, so a file name or a sidecar cannot move the cursor or recolour the
    /// terminal. Newlines and tabs are kept.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar != "\n" && scalar != "\t" && (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
    }
}
