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

    public var description: String { message }
}
