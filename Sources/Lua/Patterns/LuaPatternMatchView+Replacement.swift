// Expansion of a `gsub` replacement string.

extension LuaPatternMatchView {
    /// Appends `template` to `output` with `%0` (the whole match), `%1`...`%9` (captures; `%1`
    /// is the whole match when the pattern has no captures, a position capture appends its
    /// number) and `%%` expanded. Throws ``LuaPatternError/outputTooLarge`` before `output`
    /// would pass `maxOutput` bytes (one template can repeat a long match many times).
    public func expand(_ template: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], maxOutput: Int = .max) throws(LuaPatternError) {
        var i = 0
        var literalStart = 0
        while i < template.count {
            guard output.count <= maxOutput else { throw .outputTooLarge }
            guard template[i] == UInt8(ascii: "%") else {
                i += 1
                continue
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: template[literalStart ..< i]))
            i += 1
            guard i < template.count else { throw .invalidReplacementEscape }
            let escaped = template[i]
            switch escaped {
            case UInt8(ascii: "%"):
                output.append(escaped)
            case UInt8(ascii: "0"):
                output.append(contentsOf: bytes(range))
            case UInt8(ascii: "1") ... UInt8(ascii: "9"):
                switch try capture(Int(escaped) - Int(UInt8(ascii: "1"))) {
                case .range(let captured): output.append(contentsOf: bytes(captured))
                case .position(let position): output.append(contentsOf: String(position).utf8)
                }
            default:
                throw .invalidReplacementEscape
            }
            i += 1
            literalStart = i
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: template[literalStart ..< template.count]))
    }
}
