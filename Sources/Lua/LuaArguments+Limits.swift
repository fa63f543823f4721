import CLua

/// What a Swift function needs to keep work whose size a script controls inside the call's
/// limits: it runs with the memory cap lifted and outside the count hook, so it asks.
extension LuaArguments {
    /// Bytes the state may still allocate under its memory cap (`Int.max` when it has none).
    public var memoryLeft: Int {
        let runtime = kl_runtime_of(state)!.pointee
        guard runtime.limit > 0 else { return .max }
        return runtime.used >= runtime.limit ? 0 : Int(runtime.limit - runtime.used)
    }

    /// Throws a memory error unless `bytes` more fit under the cap.
    public func reserve(_ bytes: Int) throws {
        guard kl_reserve(state, max(0, bytes)) != 0 else { throw memoryError() }
    }

    /// Marks the state as over its cap (the call then ends with a memory error and the state is
    /// rebuilt, as after any allocation the cap refused) and returns the error to raise.
    public func memoryError(_ detail: String? = nil) -> LuaRaisedError {
        _ = kl_reserve(state, .max)
        return LuaRaisedError(detail.map { "not enough memory (\($0))" } ?? "not enough memory")
    }

    /// The error for a call that host code found killed (`kl_check_kill`): the count hook's
    /// message; the hook, armed by the check, keeps the kill from being caught.
    public var killError: LuaRaisedError {
        LuaRaisedError(String(cString: kl_kill_message(kl_runtime_of(state)!.pointee.killed)))
    }
}
