import CLua

/// An owned Lua 5.4 state with its own memory accounting, instruction budget and deadline.
///
/// A state is single-threaded: use it from one isolation domain only. Swift enters Lua only
/// through protected calls and resumes, and every Swift function exposed to Lua returns to a C
/// trampoline that raises or yields on its behalf (see `shim.h`), so a Lua error never unwinds
/// a Swift frame.
public final class LuaState {
    /// The main thread of the state.
    public let pointer: OpaquePointer
    let runtime: UnsafeMutablePointer<kl_runtime>
    /// Keeps the boxes behind registered Swift functions alive as long as the state.
    var hostFunctions: [HostFunction] = []
    /// The coroutine the call driver is resuming, if any: the only thread a helper may suspend.
    var drivenThread: OpaquePointer?
    /// Work a Swift function asked the driver to await before resuming `drivenThread`.
    var pendingSuspension: LuaSuspension?
    /// What the awaited work produced, handed to the resumed coroutine by the continuation.
    var completedSuspension: LuaAsyncResult?
    /// The context of the call being resumed (for example the pod a handler runs for), so Swift
    /// functions know on whose behalf they run even when suspended calls interleave.
    public internal(set) var callContext: (any Sendable)?

    /// The cap shared with other states, kept alive as long as this state counts in it.
    let pool: LuaMemoryPool?

    /// Creates a bare state (no libraries) whose memory use is capped at `memoryLimit` bytes
    /// while script code runs, and counts in `pool` when given.
    public init(memoryLimit: Int? = nil, pool: LuaMemoryPool? = nil) throws(LuaError) {
        self.pool = pool
        runtime = .allocate(capacity: 1)
        runtime.initialize(to: kl_runtime())
        runtime.pointee.limit = max(0, memoryLimit ?? 0)
        runtime.pointee.pool = pool?.pointer
        runtime.pointee.interval = 1000
        runtime.pointee.dispatch = hostDispatch
        guard let state = kl_newstate(runtime) else {
            runtime.deallocate()
            throw LuaError(kind: .memory, message: "cannot create a Lua state")
        }
        pointer = state
    }

    deinit {
        lua_close(pointer)
        runtime.deallocate()
    }

    /// Bytes this state currently holds.
    public var memoryUsed: Int { Int(runtime.pointee.used) }
    /// The most bytes this state has held at once.
    public var memoryPeak: Int { Int(runtime.pointee.peak) }
    /// The memory cap, or nil for none.
    public var memoryLimit: Int? {
        get { runtime.pointee.limit == 0 ? nil : Int(runtime.pointee.limit) }
        set { runtime.pointee.limit = newValue.map { max(1, $0) } ?? 0 }
    }
    /// True once an allocation passed the cap; the state should then be rebuilt.
    public var memoryExceeded: Bool { runtime.pointee.refused != 0 }

    /// Frees what nothing refers to any more, at once.
    public func collectGarbage() { kl_gc_collect(pointer) }

    /// Number of values on the main thread's stack.
    public var top: Int32 { lua_gettop(pointer) }

    /// Shrinks or grows the main thread's stack to `index` values.
    public func setTop(_ index: Int32) { lua_settop(pointer, index) }

    /// Runs `body` with Lua's memory cap enforced: the script-facing mode.
    func enforcingMemoryLimit<T, Failure: Error>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        let previous = runtime.pointee.enforcing
        runtime.pointee.enforcing = 1
        defer { runtime.pointee.enforcing = previous }
        return try body()
    }
}
