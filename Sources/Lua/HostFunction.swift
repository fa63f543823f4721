import CLua
import JSONBytes

/// A Swift function Lua can call. It reads its arguments from `LuaArguments`, pushes its
/// results, and returns how many it pushed. A thrown error becomes a Lua error raised at the
/// caller's line.
public typealias LuaFunction = (LuaArguments) throws -> Int32

/// A Swift function that suspends the calling Lua coroutine: it reads its arguments now and
/// returns the work to await; the coroutine resumes with the work's result. Lua code calls it
/// as if it blocked (`local r = http.get(url)`).
public typealias LuaSuspendingFunction = (LuaArguments) throws -> LuaSuspension

/// Asynchronous work requested by a suspending function.
public struct LuaSuspension: Sendable {
    let work: @Sendable () async -> LuaAsyncResult

    public init(_ work: @escaping @Sendable () async -> LuaAsyncResult) {
        self.work = work
    }
}

/// What resumes a suspended coroutine: values returned to the caller, or an error raised there.
public enum LuaAsyncResult: Sendable {
    case values([LuaValue])
    /// One JSON value, returned decoded on demand (as handlers receive pods).
    case json([UInt8])
    case error(String)
}

/// Raised by a Swift function whose error object is already on top of the stack (an error it
/// caught from a protected call into Lua): the object is raised again unchanged.
public struct LuaPendingError: Error {
    public init() {}
}

/// An error a Swift function raises in Lua; its message is used as is.
public struct LuaRaisedError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

/// The box behind one registered function; the trampoline's upvalue points at it.
final class HostFunction {
    enum Body {
        case immediate(LuaFunction)
        case suspending(LuaSuspendingFunction)
    }

    let name: String
    let body: Body
    unowned(unsafe) let state: LuaState

    init(name: String, body: Body, state: LuaState) {
        self.name = name
        self.body = body
        self.state = state
    }

    func invoke(_ L: OpaquePointer, continuing: Bool) -> Int32 {
        if continuing { return resumeWithResult(L) }
        do {
            let arguments = LuaArguments(state: L, functionName: name, callContext: state.callContext)
            switch body {
            case .immediate(let function):
                return try function(arguments)
            case .suspending(let function):
                guard L == state.drivenThread, lua_isyieldable(L) != 0 else {
                    throw LuaRaisedError(
                        "\(name) cannot be called here: it waits, and only a handler's own code can wait "
                            + "(not a coroutine, a table.sort comparator, a string.gsub callback or a script's top level)")
                }
                state.pendingSuspension = try function(arguments)
                return Int32(KL_RETURN_YIELD)
            }
        } catch is LuaPendingError {
            return Int32(KL_RETURN_ERROR)
        } catch {
            raise(String(describing: error), in: L)
            return Int32(KL_RETURN_ERROR)
        }
    }

    /// Pushes the error message, prefixed with the calling line, as `luaL_error` would.
    private func raise(_ message: String, in L: OpaquePointer) {
        luaL_where(L, 1)
        LuaState.pushString(message, onto: L)
        lua_concat(L, 2)
    }

    private func resumeWithResult(_ L: OpaquePointer) -> Int32 {
        let result = state.completedSuspension ?? .error("\(name): resumed without a result")
        state.completedSuspension = nil
        switch result {
        case .values(let values):
            guard lua_checkstack(L, Int32(clamping: values.count + 3)) != 0 else {
                raise("\(name): too many results", in: L)
                return Int32(KL_RETURN_ERROR)
            }
            for value in values { LuaState.push(value, onto: L) }
            return Int32(values.count)
        case .json(let text):
            do {
                try LuaState.pushLazyJSON(JSONText(text), onto: L)
                return 1
            } catch {
                raise("\(name): malformed JSON in the answer: \(error.message)", in: L)
                return Int32(KL_RETURN_ERROR)
            }
        case .error(let message):
            raise(message, in: L)
            return Int32(KL_RETURN_ERROR)
        }
    }
}

/// The C entry point for every registered Swift function (installed in each state's runtime).
let hostDispatch: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32) -> Int32 = { L, box, continuing in
    let function = Unmanaged<HostFunction>.fromOpaque(box!).takeUnretainedValue()
    return function.invoke(L!, continuing: continuing != 0)
}

extension LuaState {
    /// Pushes a Lua function backed by `function`; `name` appears in its error messages.
    public func pushFunction(named name: String, _ function: @escaping LuaFunction) {
        push(register(named: name, function), upvalues: 0, onto: pointer)
    }

    /// Pushes a Lua function that suspends its caller while `function`'s work runs.
    public func pushSuspendingFunction(named name: String, _ function: @escaping LuaSuspendingFunction) {
        let box = HostFunction(name: name, body: .suspending(function), state: self)
        hostFunctions.append(box)
        push(box, upvalues: 0, onto: pointer)
    }

    /// Registers `function` once so that many closures of it can be pushed (see `push(_:upvalues:onto:)`);
    /// it lives as long as the state.
    func register(named name: String, _ function: @escaping LuaFunction) -> HostFunction {
        let box = HostFunction(name: name, body: .immediate(function), state: self)
        hostFunctions.append(box)
        return box
    }

    /// Pops `upvalues` values from thread `L` of this state and pushes there a closure of
    /// `function` holding them; the function reads them with `LuaArguments.upvalueIndex(_:)`.
    func push(_ function: HostFunction, upvalues: Int32, onto L: OpaquePointer) {
        kl_push_host_function(L, Unmanaged.passUnretained(function).toOpaque(), upvalues)
    }
}
