import CLua

extension LuaState {
    /// Runs the function below `argumentCount` arguments (on the main stack) in a new coroutine,
    /// awaiting the work of suspending helpers it calls, and returns up to `resultCount` of its
    /// results. Calls may interleave while one waits; each keeps its own budget, deadline and
    /// `context` (visible to Swift functions as `callContext` while the call runs).
    /// `willWait` runs each time the call is about to wait on a helper (on the caller's
    /// isolation, before it suspends): a caller running calls back to back learns that this one
    /// will not come back at once.
    public func resume(
        argumentCount: Int32, resultCount: Int = 0, limits: LuaCallLimits = .unlimited, context: (any Sendable)? = nil,
        willWait: (() -> Void)? = nil, isolation: isolated (any Actor)? = #isolation
    ) async throws(LuaError) -> [LuaValue] {
        guard let thread = lua_newthread(pointer) else { throw LuaError(kind: .memory, message: "not enough memory") }
        markAsHostThread()
        let anchor = luaL_ref(pointer, kl_registryindex())
        defer { luaL_unref(pointer, kl_registryindex(), anchor) }
        guard lua_checkstack(thread, argumentCount + 1) != 0 else {
            setTop(top - argumentCount - 1)
            throw LuaError(kind: .memory, message: "not enough memory")
        }
        lua_xmove(pointer, thread, argumentCount + 1)

        var budget = LuaCallBudget(limits)
        var arguments = argumentCount
        while true {
            let (status, results) = run(thread, arguments: arguments, budget: &budget, context: context)
            arguments = 0
            if let killKind {
                throw threadError(thread, anchor: anchor, kind: killKind, message: killMessage)
            }
            switch status {
            case LUA_OK where memoryExceeded:
                throw threadError(thread, anchor: anchor, kind: .memory, message: "not enough memory (the state passed its memory cap)")
            case LUA_OK:
                defer { lua_settop(thread, 0) }
                return try (0..<min(Int32(resultCount), results)).map { (i) throws(LuaError) in try Self.value(at: i - results, of: thread) }
            case LUA_YIELD:
                guard let suspension = pendingSuspension else {
                    throw threadError(thread, anchor: anchor, kind: .unexpectedYield,
                        message: "attempt to yield from a handler: only kubelua's helpers may suspend it")
                }
                pendingSuspension = nil
                lua_settop(thread, 0)
                willWait?()
                guard let result = await Self.await(suspension, secondsLeft: budget.secondsLeft) else {
                    throw threadError(thread, anchor: anchor, kind: .deadline, message: "deadline exceeded")
                }
                completedSuspension = result
            default:
                throw threadError(thread, anchor: anchor, kind: errorKind(status: status), message: Self.describeError(at: -1, of: thread))
            }
        }
    }

    /// Resumes `thread` once under `budget`, saving what it spent so calls can interleave.
    private func run(_ thread: OpaquePointer, arguments: Int32, budget: inout LuaCallBudget, context: (any Sendable)?) -> (Int32, Int32) {
        activate(budget, on: thread)
        drivenThread = thread
        callContext = context
        defer { callContext = nil }
        var results: Int32 = 0
        let status = enforcingMemoryLimit { lua_resume(thread, pointer, arguments, &results) }
        drivenThread = nil
        budget.counted = runtime.pointee.counted
        return (status, results)
    }

    /// Builds the error for a coroutine that failed, with the traceback of its stack.
    /// The thread is pushed from its registry anchor: a thread that failed deep in a C function
    /// may have no free slot left on its own stack.
    private func threadError(_ thread: OpaquePointer, anchor: Int32, kind: LuaError.Kind, message: String) -> LuaError {
        kl_push_thread_traceback(pointer)
        lua_rawgeti(pointer, kl_registryindex(), lua_Integer(anchor))
        Self.pushString(message, onto: pointer)
        let traceback: String? =
            if kl_pcall(pointer, 2, 1, 0) == LUA_OK {
                Self.splitTraceback(Self.describeError(at: -1, of: pointer)).1
            } else {
                nil
            }
        kl_pop(pointer, 1)
        return LuaError(kind: kind, message: message, traceback: traceback)
    }

    /// Awaits a helper's work, or gives up (nil) when the call's deadline passes first.
    private static func await(_ suspension: LuaSuspension, secondsLeft: Double?) async -> LuaAsyncResult? {
        guard let secondsLeft else { return await suspension.work() }
        return await DeadlineRace.run(within: .seconds(secondsLeft), suspension.work)
    }
}
