import CLua

/// Builds Lua states in which untrusted-ish scripts run: a reduced, read-only standard library,
/// text-only `load`, no finalizers, a locked string metatable, step-counted pattern functions,
/// and per-call instruction, time and memory limits (see `docs/sandbox.md`).
public struct LuaSandbox: Sendable {
    public var limits: LuaSandboxLimits
    /// What `os.getenv` may see: only these variables, nothing else of the process environment.
    public var environment: [String: String]
    /// What `os.time()` and `os.date()` read as now (Unix seconds); nil: the system clock.
    /// `replay` gives scripts its virtual clock.
    public var wallClock: (@Sendable () -> Double)?
    /// Where all states this sandbox makes count their memory, capped at `limits.totalMemory`
    /// (made once, here: copies of the sandbox share it); nil: no cap.
    public let memoryPool: LuaMemoryPool?

    public init(limits: LuaSandboxLimits = LuaSandboxLimits(), environment: [String: String] = [:], wallClock: (@Sendable () -> Double)? = nil) {
        self.limits = limits
        self.environment = environment
        self.wallClock = wallClock
        memoryPool = limits.totalMemory.map(LuaMemoryPool.init(limit:))
    }

    /// Creates a sandboxed state. `print` receives what the script prints, with the context of
    /// the call that printed; each module becomes a read-only global table; `libraries`, when
    /// given, backs `require(name)` with sandboxed text modules.
    public func makeState(
        print: @escaping LuaPrintHandler = { _, _ in }, modules: [LuaModule] = [], libraries: LuaLibraryLoader? = nil
    ) throws(LuaError) -> LuaState {
        let state = try LuaState(memoryLimit: limits.memory, pool: memoryPool)
        kl_push_library_opener(state.pointer)
        try state.call()
        try state.load(sandboxPrelude, chunkName: "kubelua sandbox")
        state.newTable()
        installPatternFunctions(in: state)
        state.pushFunction(named: "print") { arguments in
            print(try arguments.string(at: 1), arguments.callContext)
            return 0
        }
        state.setField("print")
        if let libraries {
            state.pushFunction(named: "require") { arguments in
                let library = try libraries(try arguments.string(at: 1))
                arguments.push(bytes: library.source)
                arguments.push("@" + library.chunkName)
                return 2
            }
            state.setField("read_library")
        }
        if let wallClock {
            state.pushFunction(named: "os.time") { arguments in
                arguments.push(.integer(Int64(wallClock().rounded(.down))))
                return 1
            }
            state.setField("now")
        }
        kl_push_kill_probe(state.pointer)
        state.setField("killed")
        kl_push_tick(state.pointer)
        state.setField("tick")
        state.pushHostThreads()
        state.setField("host_threads")
        state.pushDecodingNext()
        state.setField("next")
        state.pushLazyMark()
        state.setField("lazy_mark")
        state.pushFunction(named: "materialize") { arguments in
            try arguments.materialize(at: 1)
            return 0
        }
        state.setField("materialize")
        let environment = environment
        state.pushFunction(named: "os.getenv") { arguments in
            arguments.push(environment[try arguments.string(at: 1)].map { LuaValue.string($0) } ?? .nil)
            return 1
        }
        state.setField("getenv")
        state.newTable()
        for module in [LuaModule.json] + modules {
            module.install(state)
            state.setField(module.name)
        }
        state.setField("modules")
        try state.call(argumentCount: 1)
        return state
    }
}

/// Receives what a script prints, and the context of the call that printed it.
public typealias LuaPrintHandler = (String, (any Sendable)?) -> Void

/// Finds the source of `require(name)`, or throws the error the script sees.
public typealias LuaLibraryLoader = @Sendable (String) throws -> LuaLibrarySource

/// A module a script can `require`.
public struct LuaLibrarySource: Sendable {
    /// What error messages show, e.g. `_lib/util.lua`.
    public var chunkName: String
    public var source: [UInt8]

    public init(chunkName: String, source: [UInt8]) {
        self.chunkName = chunkName
        self.source = source
    }
}

/// A global helper table a sandbox adds, such as `json` or `log`.
public struct LuaModule: Sendable {
    public let name: String
    /// Pushes the module's table onto the state.
    public let install: @Sendable (LuaState) -> Void

    public init(name: String, install: @escaping @Sendable (LuaState) -> Void) {
        self.name = name
        self.install = install
    }
}

/// Defaults follow `sandbox.md`; all are configurable.
public struct LuaSandboxLimits: Sendable, Equatable {
    public var instructionsPerCall: Int?
    public var timePerCall: Duration?
    public var memory: Int?
    /// Bytes all states of one sandbox may hold together (see `LuaSandbox.memoryPool`).
    public var totalMemory: Int?

    public init(
        instructionsPerCall: Int? = 10_000_000, timePerCall: Duration? = .seconds(2), memory: Int? = 64 << 20, totalMemory: Int? = nil
    ) {
        self.instructionsPerCall = instructionsPerCall
        self.timePerCall = timePerCall
        self.memory = memory
        self.totalMemory = totalMemory
    }

    public var call: LuaCallLimits { LuaCallLimits(instructions: instructionsPerCall, timeLimit: timePerCall) }
}
