import CLua
import JSONBytes

/// One-pass JSON parser whose only output is the Lua stack.
///
/// A container's elements are pushed as they are parsed and moved into a table only when the
/// container closes, so every table is created at its final size. A container with more pending
/// elements than `chunk` (or a document whose pending elements pile up past `softStackCap`)
/// gets its table early and is flushed into it, so no document can exhaust the Lua stack.
/// The parser is iterative, with its own frame stack, so nesting depth never touches the Swift
/// stack either.
struct LuaJSONDecoder {
    /// Stack slots a container may hold before it is flushed into its table.
    static let chunk: Int32 = 4096
    /// Stack slots in use by the whole decode past which the innermost container is flushed
    /// after every value, so deep nesting times wide containers stays far below LUAI_MAXSTACK.
    static let softStackCap: Int32 = 1 << 17
    /// Free slots guaranteed at every container open: a full chunk plus a key, a value and spare.
    static let stackReserve: Int32 = chunk + 16

    /// An open container.
    struct Frame {
        /// Slot of the container's table once created, and of its first pending slot until then.
        var base: Int32
        /// Pending stack slots: one per element, two per key/value pair.
        var pending: Int32
        /// Array elements already moved into the table.
        var inserted: Int64
        var isObject: Bool
        /// Whether the table exists yet (only after an early flush, before the close).
        var made: Bool
    }

    let L: OpaquePointer
    let bytes: UnsafePointer<UInt8>
    let end: Int
    var pos = 0
    /// Slot of the array metatable, fetched once per decode; the stack below it is not ours.
    let metatable: Int32

    /// Starts in caller-provided (stack) memory; moves to the heap only for unusually deep documents.
    var frames: UnsafeMutablePointer<Frame>
    var frameCapacity: Int
    var framesOnHeap = false
    var depth = 0
    let maxDepth: Int

    let isOverMemory: (() -> Bool)?
    let memoryCheckInterval: Int
    var memoryCountdown: Int

    /// Where strings with escapes are unescaped before being pushed; allocated on first use.
    var scratch: UnsafeMutablePointer<UInt8>?
    var scratchCount = 0
    var scratchCapacity = 0

    /// Frames held in the caller's temporary allocation; enough for any real pod.
    static let initialFrames = 64

    init(
        L: OpaquePointer, bytes: UnsafePointer<UInt8>, count: Int, metatable: Int32, limits: LuaJSONLimits,
        frames: UnsafeMutableBufferPointer<Frame>
    ) {
        self.L = L
        self.bytes = bytes
        self.end = count
        self.metatable = metatable
        self.maxDepth = limits.maxDepth
        self.isOverMemory = limits.isOverMemory
        self.memoryCheckInterval = limits.memoryCheckInterval
        self.memoryCountdown = limits.memoryCheckInterval
        self.frames = frames.baseAddress!
        self.frameCapacity = frames.count
    }

    func release() {
        if framesOnHeap { frames.deallocate() }
        scratch?.deallocate()
    }

    /// Parses the whole document, leaving its value on top of the stack.
    mutating func run() throws(LuaJSONError) {
        value: while true {
            skipWhitespace()
            guard pos < end else { throw unexpectedEnd() }
            switch bytes[pos] {
            case UInt8(ascii: "\""):
                try parseString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try parseNumber()
            case UInt8(ascii: "{"):
                try open(isObject: true)
                skipWhitespace()
                if pos < end && bytes[pos] == UInt8(ascii: "}") {
                    pos += 1
                    try close()
                } else {
                    try parseKey()
                    continue value
                }
            case UInt8(ascii: "["):
                try open(isObject: false)
                skipWhitespace()
                if pos < end && bytes[pos] == UInt8(ascii: "]") {
                    pos += 1
                    try close()
                } else {
                    continue value
                }
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                try parseLiteral()
            default:
                throw unexpectedCharacter()
            }

            // A value is complete: attach it to its container, then take separators and closers
            // until the next value starts.
            while true {
                guard depth > 0 else {
                    skipWhitespace()
                    guard pos == end else { throw trailingCharacters() }
                    return
                }
                try noteValue()
                skipWhitespace()
                guard pos < end else { throw unexpectedEnd() }
                let c = bytes[pos]
                if frames[depth - 1].isObject {
                    if c == UInt8(ascii: ",") {
                        pos += 1
                        skipWhitespace()
                        try parseKey()
                        continue value
                    }
                    if c == UInt8(ascii: "}") {
                        pos += 1
                        try close()
                        continue
                    }
                } else {
                    if c == UInt8(ascii: ",") {
                        pos += 1
                        continue value
                    }
                    if c == UInt8(ascii: "]") {
                        pos += 1
                        try close()
                        continue
                    }
                }
                throw unexpectedCharacter()
            }
        }
    }

    /// Parses `"key" :` and leaves the key on the stack, ready for the value.
    @inline(__always)
    mutating func parseKey() throws(LuaJSONError) {
        guard pos < end else { throw unexpectedEnd() }
        guard bytes[pos] == UInt8(ascii: "\"") else { throw unexpectedCharacter() }
        try parseString()
        skipWhitespace()
        guard pos < end else { throw unexpectedEnd() }
        guard bytes[pos] == UInt8(ascii: ":") else { throw unexpectedCharacter() }
        pos += 1
    }

    @inline(__always)
    mutating func skipWhitespace() {
        pos = JSONScan.skipWhitespace(bytes, from: pos, end: end)
    }

    /// Parses the `true`, `false` or `null` starting at `pos` and pushes it.
    mutating func parseLiteral() throws(LuaJSONError) {
        switch bytes[pos] {
        case UInt8(ascii: "t"):
            try matchLiteral("true")
            lua_pushboolean(L, 1)
        case UInt8(ascii: "f"):
            try matchLiteral("false")
            lua_pushboolean(L, 0)
        default:
            try matchLiteral("null")
            lua_pushlightuserdata(L, nil)
        }
    }

    mutating func matchLiteral(_ word: StaticString) throws(LuaJSONError) {
        let letters = word.utf8Start
        for i in 0..<word.utf8CodeUnitCount {
            guard pos < end else { throw unexpectedEnd() }
            guard bytes[pos] == letters[i] else { throw unexpectedCharacter() }
            pos += 1
        }
    }

    /// Counts a finished value in the memory budget and in its container, flushing the
    /// container into its table when it has too many pending slots.
    @inline(__always)
    mutating func noteValue() throws(LuaJSONError) {
        memoryCountdown -= 1
        if memoryCountdown <= 0 {
            memoryCountdown = memoryCheckInterval
            try checkMemory()
        }
        let frame = frames + (depth - 1)
        frame.pointee.pending += frame.pointee.isObject ? 2 : 1
        if frame.pointee.pending >= Self.chunk
            || frame.pointee.base + frame.pointee.pending - metatable > Self.softStackCap {
            flush(frame)
        }
    }

    @inline(__always)
    func checkMemory() throws(LuaJSONError) {
        if let isOverMemory, isOverMemory() { throw outOfMemory() }
    }
}
