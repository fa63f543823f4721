/// Sizes to which text a script controls is cut before it reaches a log: an error message or
/// log line of 30 MB would otherwise be written out in full.
public enum TextLimits {
    /// Error messages, `log.*` messages and `print` lines, in bytes.
    public static let message = 8 << 10
    /// Each `log.*` field's key and each value, in bytes.
    public static let field = 1 << 10
    /// `log.*` fields kept per line.
    public static let fields = 32

    /// `text` when it has at most `limit` bytes; else its first bytes (ending on a character
    /// boundary) followed by `... (truncated, N bytes)`, `limit` bytes in all (so truncating
    /// again changes nothing). N is the original size: `size` when `text` is already a prefix
    /// of the original, else the size of `text`.
    public static func truncate(_ text: String, to limit: Int, size: Int? = nil) -> String {
        let utf8 = text.utf8
        let size = size ?? utf8.count
        guard size > limit else { return text }
        let suffix = "... (truncated, \(size) bytes)"
        var end = utf8.index(utf8.startIndex, offsetBy: max(0, min(limit - suffix.utf8.count, utf8.count)))
        while end > utf8.startIndex, end < utf8.endIndex, UTF8.isContinuation(utf8[end]) { end = utf8.index(before: end) }
        return String(text[..<end]) + suffix
    }
}
