/// One match during `gsub`, lent to the replacement closure. It borrows the matcher's capture
/// storage, so it cannot be copied or kept; fetch what you need while the closure runs.
///
/// Captures are read the way Lua reads them, so an unfinished capture is an error only when it
/// is actually used (by a `%N` in a replacement string, a table key, or a function argument).
public struct LuaPatternMatchView: ~Copyable {
    /// The subject the match is in.
    public let subject: UnsafeBufferPointer<UInt8>
    /// The whole match, as 0-based byte offsets.
    public let range: Range<Int>
    /// The number of captures the pattern opened (0 when it has none).
    public let captureCount: Int
    let slots: UnsafeBufferPointer<LuaPatternMatcher.Slot>

    init(subject: UnsafeBufferPointer<UInt8>, range: Range<Int>, matcher: borrowing LuaPatternMatcher) {
        self.subject = subject
        self.range = range
        captureCount = matcher.level
        slots = UnsafeBufferPointer(matcher.slots)
    }

    /// Capture `index` (0-based). Index 0 of a pattern without captures is the whole match,
    /// which is what a table or `%1` replacement uses.
    public func capture(_ index: Int) throws(LuaPatternError) -> LuaCapture {
        guard index < captureCount else {
            guard index == 0 else { throw .invalidCaptureIndex(index + 1) }
            return .range(range)
        }
        return try slots[index].value()
    }

    /// The values a replacement function receives: every capture, or the whole match when the
    /// pattern has none.
    public func values() throws(LuaPatternError) -> [LuaCapture] {
        guard captureCount > 0 else { return [.range(range)] }
        var result: [LuaCapture] = []
        result.reserveCapacity(captureCount)
        for index in 0 ..< captureCount {
            result.append(try capture(index))
        }
        return result
    }

    /// The subject bytes of `range`.
    public func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: subject[range])
    }
}
