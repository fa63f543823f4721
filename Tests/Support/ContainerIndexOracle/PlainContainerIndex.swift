import JSONBytes

/// The container index of a JSON text by the plainest means, a byte-at-a-time bracket count
/// outside strings: what tests hold the framer's word-at-a-time index against, and what they
/// hand to the Lua side when they need an index without a framer. Kept independent of the
/// shared JSON byte layer (`JSONContainerScanner`) on purpose: an oracle that shared the code
/// it checks would agree with its bugs.
public enum PlainContainerIndex {
    /// `shortestIndexed`: containers shorter than this many bytes are left out, as the framer
    /// leaves them out (`JSONObjectFramer.shortestIndexed`).
    public static func of(_ bytes: some Collection<UInt8>, shortestIndexed: Int = 0) -> JSONContainerIndex {
        var pairs: [UInt32] = [], open: [Int] = []
        var inString = false, escaped = false
        for (position, byte) in bytes.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                open.append(pairs.count)
                pairs += [UInt32(position), 0]
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                pairs[open.removeLast() + 1] = UInt32(position + 1)
            default: break
            }
        }
        let kept = stride(from: 0, to: pairs.count, by: 2).filter { Int(pairs[$0 + 1] - pairs[$0]) >= shortestIndexed }
        return JSONContainerIndex(pairs: kept.flatMap { [pairs[$0], pairs[$0 + 1]] })
    }
}
