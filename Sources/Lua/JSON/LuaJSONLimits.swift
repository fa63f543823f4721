/// Bounds on one decode, so a hostile or huge document fails cleanly instead of exhausting the
/// Swift stack, the Lua stack or the state's memory cap.
public struct LuaJSONLimits {
    /// Deepest nesting of arrays and objects accepted.
    public var maxDepth: Int
    /// How many values are decoded between two calls of `isOverMemory` (it also runs whenever
    /// a container closes).
    public var memoryCheckInterval: Int
    /// Returns true when the state is over its memory cap. Decoding runs with the cap lifted (so
    /// Lua never raises inside it), which is why it has to ask.
    public var isOverMemory: (() -> Bool)?

    public init(maxDepth: Int = 512, memoryCheckInterval: Int = 1024, isOverMemory: (() -> Bool)? = nil) {
        self.maxDepth = max(1, maxDepth)
        self.memoryCheckInterval = max(1, memoryCheckInterval)
        self.isOverMemory = isOverMemory
    }
}
