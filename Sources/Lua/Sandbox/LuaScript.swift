/// One script in its own sandboxed state: compiled and run at creation, called many times, and
/// rebuilt from its source after a call that killed it or exhausted its memory.
public final class LuaScript {
    public let chunkName: String
    public let source: [UInt8]
    public private(set) var sandbox: LuaSandbox
    private let print: LuaPrintHandler
    private let modules: [LuaModule]
    private let libraries: LuaLibraryLoader?
    public private(set) var state: LuaState
    /// How many times the state was rebuilt after a poisoning error.
    public private(set) var rebuilds = 0

    /// Compiles `source` and runs its top level; throws the compile or top-level error.
    public init(
        source: [UInt8], chunkName: String, sandbox: LuaSandbox = LuaSandbox(),
        print: @escaping LuaPrintHandler = { _, _ in }, modules: [LuaModule] = [], libraries: LuaLibraryLoader? = nil
    ) throws(LuaError) {
        self.source = source
        self.chunkName = chunkName
        self.sandbox = sandbox
        self.print = print
        self.modules = modules
        self.libraries = libraries
        state = try Self.load(source, chunkName: chunkName, sandbox: sandbox, print: print, modules: modules, libraries: libraries)
    }

    private static func load(
        _ source: [UInt8], chunkName: String, sandbox: LuaSandbox, print: @escaping LuaPrintHandler, modules: [LuaModule],
        libraries: LuaLibraryLoader?
    ) throws(LuaError) -> LuaState {
        let state = try sandbox.makeState(print: print, modules: modules, libraries: libraries)
        try state.load(source, chunkName: chunkName)
        try state.call(limits: sandbox.limits.call)
        return state
    }

    /// The script's global `name`, copied out (tables by value).
    public func global(_ name: String) throws(LuaError) -> LuaValue {
        let base = state.top
        defer { state.setTop(base) }
        state.pushGlobal(name)
        return try state.value(at: -1)
    }

    /// Runs later calls (and rebuilds) under `limits`; the memory cap applies at once.
    public func apply(_ limits: LuaSandboxLimits) {
        sandbox.limits = limits
        state.memoryLimit = limits.memory
    }

    /// True when the script defines a global function `name`.
    public func defines(_ name: String) -> Bool { state.hasFunction(name) }

    /// Calls the global function `name` with the values `pushArguments` pushes (it returns how
    /// many), under the sandbox's per-call limits. Returns nil when the script has no such function.
    /// If `pushArguments` throws, the function is not called and the stack is restored.
    /// `willWait` runs before each wait on a helper (see `LuaState.resume`).
    public func call(
        _ name: String, resultCount: Int = 0, context: (any Sendable)? = nil, willWait: (() -> Void)? = nil,
        isolation: isolated (any Actor)? = #isolation, pushArguments: (LuaState) throws(LuaError) -> Int32
    ) async throws(LuaError) -> [LuaValue]? {
        guard defines(name) else { return nil }
        let base = state.top
        state.pushGlobal(name)
        let count: Int32
        do {
            count = try pushArguments(state)
        } catch {
            state.setTop(base)
            throw error
        }
        do {
            return try await state.resume(argumentCount: count, resultCount: resultCount, limits: sandbox.limits.call, context: context, willWait: willWait)
        } catch {
            if error.poisonsState || state.memoryExceeded { try rebuild() }
            throw error
        }
    }

    public func call(
        _ name: String, _ arguments: [LuaValue], resultCount: Int = 0, isolation: isolated (any Actor)? = #isolation
    ) async throws(LuaError) -> [LuaValue]? {
        try await call(name, resultCount: resultCount) { state in
            for argument in arguments { state.push(argument) }
            return Int32(arguments.count)
        }
    }

    /// Replaces the state with a fresh one built from the source. If that fails (the top level
    /// raised this time), the old state stays and the error is thrown.
    public func rebuild() throws(LuaError) {
        // The failed call's garbage goes first: under a shared cap it would leave the new state no room.
        state.collectGarbage()
        state = try Self.load(source, chunkName: chunkName, sandbox: sandbox, print: print, modules: modules, libraries: libraries)
        rebuilds += 1
    }
}
