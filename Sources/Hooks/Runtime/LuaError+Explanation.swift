import Lua

extension LuaError {
    /// The error as a hook's author should read it: limit errors get the `path:line` where the
    /// call was stopped and name the option that sets the limit; uses of what the sandbox
    /// removed (`io`, `os.execute`) say so instead of only "attempt to index a nil value".
    func explained(chunk: String, limits: LuaSandboxLimits) -> LuaError {
        var text = message
        switch kind {
        case .instructionBudget:
            let budget = limits.instructionsPerCall.map { " of \(Self.grouped($0)) instructions" } ?? ""
            text = "instruction budget exceeded: the call used up its budget\(budget) (--instruction-limit)"
        case .deadline:
            let time = limits.timePerCall.map { " of \(Self.seconds($0)) s" } ?? ""
            text = "deadline exceeded: the call ran past its time limit\(time), waits included (--time-limit)"
        case .memory:
            let cap = limits.memory.map { " \($0 >> 20) MiB" } ?? ""
            let total = limits.totalMemory.map { ", or all hooks together their \($0 >> 20) MiB (--total-memory-limit)" } ?? ""
            text = "not enough memory: the script passed its\(cap) cap (--memory-limit)\(total)"
        case .runtime, .syntax, .unexpectedYield:
            if let hint = SandboxRemovals.hint(for: message) { text += " (\(hint))" }
        }
        if location == nil, let frame = tracebackLocation(preferring: chunk) {
            text = "\(frame.chunk):\(frame.line): \(text)"
        }
        return text == message ? self : LuaError(kind: kind, message: text, traceback: traceback)
    }

    /// 10000000 as 10,000,000.
    private static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        return String(digits.enumerated().flatMap { index, digit in
            index > 0 && (digits.count - index) % 3 == 0 ? [",", digit] : [digit]
        })
    }

    private static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)" : "\(Double(milliseconds) / 1000)"
    }
}
