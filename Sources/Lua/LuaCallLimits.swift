import CLua

/// Limits applied to one call into Lua.
public struct LuaCallLimits: Sendable, Equatable {
    /// Lua VM instructions the call may run (counted in steps of `checkInterval`); nil = no limit.
    public var instructions: Int?
    /// Wall-clock time the call may take, waits for suspending helpers included; nil = no limit.
    public var timeLimit: Duration?
    /// Instructions between two checks of the budget and the clock.
    public var checkInterval: Int32

    public init(instructions: Int? = nil, timeLimit: Duration? = nil, checkInterval: Int32 = 1000) {
        self.instructions = instructions
        self.timeLimit = timeLimit
        self.checkInterval = max(1, checkInterval)
    }

    public static let unlimited = LuaCallLimits()

    /// The deadline these limits give a call starting now, on the hook's clock.
    var deadline: Double {
        guard let timeLimit else { return 0 }
        let (seconds, attoseconds) = timeLimit.components
        return kl_now() + Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// The budget of one call, saved while its coroutine is suspended so calls can interleave.
struct LuaCallBudget {
    var budget: Int64
    var counted: Int64 = 0
    var deadline: Double
    var interval: Int32

    init(_ limits: LuaCallLimits) {
        budget = Int64(limits.instructions ?? 0)
        deadline = limits.deadline
        interval = limits.checkInterval
    }

    var secondsLeft: Double? { deadline == 0 ? nil : max(0, deadline - kl_now()) }
}

extension LuaState {
    /// Makes `budget` the one the count hook enforces, and arms the hook on `thread`.
    func activate(_ budget: LuaCallBudget, on thread: OpaquePointer) {
        runtime.pointee.budget = budget.budget
        runtime.pointee.counted = budget.counted
        runtime.pointee.deadline = budget.deadline
        runtime.pointee.interval = budget.interval
        runtime.pointee.killed = Int32(KL_KILL_NONE)
        kl_install_count_hook(thread, budget.interval)
    }

    /// The kill the count hook (or host code) recorded during the last run, as an error kind.
    var killKind: LuaError.Kind? {
        switch Int(runtime.pointee.killed) {
        case Int(KL_KILL_BUDGET): .instructionBudget
        case Int(KL_KILL_DEADLINE): .deadline
        default: nil
        }
    }
}
