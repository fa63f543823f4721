/// An error raised by Lua code, by the sandbox's limits, or while loading a chunk.
public struct LuaError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The chunk did not compile.
        case syntax
        /// The code raised an error.
        case runtime
        /// The state ran out of memory (its cap or the machine's).
        case memory
        /// The call used up its instruction budget.
        case instructionBudget
        /// The call ran past its wall-clock deadline.
        case deadline
        /// The code yielded in a place only the host may suspend.
        case unexpectedYield
    }

    public let kind: Kind
    /// The message as Lua produced it, usually `chunk:line: text`, cut to `TextLimits.message`.
    public let message: String
    /// Lua's traceback at the point of the error, when one could be taken.
    public let traceback: String?

    public init(kind: Kind, message: String, traceback: String? = nil) {
        self.kind = kind
        self.message = TextLimits.truncate(message, to: TextLimits.message)
        self.traceback = traceback.map { TextLimits.truncate($0, to: TextLimits.message) }
    }

    /// True for the kinds after which the state must be rebuilt before it runs again.
    public var poisonsState: Bool {
        switch kind {
        case .memory, .instructionBudget, .deadline: true
        case .syntax, .runtime, .unexpectedYield: false
        }
    }

    /// The `chunk:line` prefix of the message, when it has one.
    public var location: (chunk: String, line: Int)? {
        // Lua writes `chunk:line: message`; the chunk itself may contain colons.
        var search = message[...]
        while let colon = search.firstIndex(of: ":") {
            let afterColon = message.index(after: colon)
            let digits = message[afterColon...].prefix(while: \.isNumber)
            if !digits.isEmpty, message[digits.endIndex...].hasPrefix(":"), let line = Int(digits) {
                return (String(message[..<colon]), line)
            }
            search = message[afterColon...]
        }
        return nil
    }

    /// Where the error happened according to the traceback: the first frame in `chunk` (as Lua
    /// shows chunk names, shortened from the left with `...` when long), else the first frame
    /// of any Lua chunk. Limit errors (budget, deadline, memory) carry no `chunk:line` in their
    /// message; this finds it.
    public func tracebackLocation(preferring chunk: String? = nil) -> (chunk: String, line: Int)? {
        let frames = (traceback ?? "").split(separator: "\n").compactMap { line -> (chunk: String, line: Int)? in
            let frame = line.drop { $0 == "\t" || $0 == " " }
            guard !frame.hasPrefix("[C]"), let match = frame.firstMatch(of: /^(.+?):(\d+):/), let number = Int(match.2) else { return nil }
            return (String(match.1), number)
        }
        func isChunk(_ shown: String) -> Bool {
            guard let chunk else { return false }
            return shown == chunk || (shown.hasPrefix("...") && chunk.hasSuffix(shown.dropFirst(3)))
        }
        return frames.first { isChunk($0.chunk) } ?? frames.first
    }

    public var description: String { message }
}
