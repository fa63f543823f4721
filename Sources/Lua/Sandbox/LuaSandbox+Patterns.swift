import CLua

/// `string.find`, `match`, `gmatch` and `gsub` on the step-counted matcher: every 4096 steps
/// it asks the state whether the call's budget or deadline has run out.
extension LuaSandbox {
    func installPatternFunctions(in state: LuaState) {
        state.pushFunction(named: "find") { arguments in try Self.find(arguments) }
        state.setField("find")
        state.pushFunction(named: "match") { arguments in try Self.match(arguments) }
        state.setField("match")
        let iterator = state.register(named: "gmatch iterator") { arguments in try Self.gmatchNext(arguments) }
        state.pushFunction(named: "gmatch") { arguments in
            try Self.gmatch(arguments, iterator: iterator, state: state)
        }
        state.setField("gmatch")
        state.pushFunction(named: "gsub") { arguments in try Self.gsub(arguments, state: state) }
        state.setField("gsub")
    }

    private static func find(_ arguments: LuaArguments) throws -> Int32 {
        let initial = try arguments.optionalInteger(at: 3, default: 1)
        let plain = arguments.boolean(at: 4)
        return try withSubjectAndPattern(arguments) { subject, pattern in
            guard let found = try LuaPattern.find(subject, pattern, init: Int(initial), plain: plain, check: checker(arguments))
            else {
                arguments.pushNil()
                return 1
            }
            arguments.push(.integer(Int64(found.start)))
            arguments.push(.integer(Int64(found.end)))
            return try 2 + push(found.captures, of: subject, to: arguments)
        }
    }

    private static func match(_ arguments: LuaArguments) throws -> Int32 {
        let initial = try arguments.optionalInteger(at: 3, default: 1)
        return try withSubjectAndPattern(arguments) { subject, pattern in
            guard let captures = try LuaPattern.match(subject, pattern, init: Int(initial), check: checker(arguments)) else {
                arguments.pushNil()
                return 1
            }
            return try push(captures, of: subject, to: arguments)
        }
    }

    /// Returns a closure over (subject, pattern, position, end of the last match).
    private static func gmatch(_ arguments: LuaArguments, iterator: HostFunction, state: LuaState) throws -> Int32 {
        let initial = try arguments.optionalInteger(at: 3, default: 1)
        let start = try withSubjectAndPattern(arguments) { subject, _ in
            LuaGmatchState(subjectLength: subject.count, init: Int(initial)).position
        }
        lua_pushvalue(arguments.state, 1)
        lua_pushvalue(arguments.state, 2)
        lua_pushinteger(arguments.state, lua_Integer(start))
        lua_pushinteger(arguments.state, -1)
        state.push(iterator, upvalues: 4, onto: arguments.state)
        return 1
    }

    private static func gmatchNext(_ arguments: LuaArguments) throws -> Int32 {
        let L = arguments.state
        let subjectIndex = arguments.upvalueIndex(1), patternIndex = arguments.upvalueIndex(2)
        let positionIndex = arguments.upvalueIndex(3), lastEndIndex = arguments.upvalueIndex(4)
        let position = Int(lua_tointegerx(L, positionIndex, nil))
        let lastEnd = Int(lua_tointegerx(L, lastEndIndex, nil))
        return try arguments.withBytes(at: subjectIndex) { subject in
            try arguments.withBytes(at: patternIndex) { pattern in
                var iteration = LuaGmatchState(resumingAt: position, lastMatchEnd: lastEnd < 0 ? nil : lastEnd)
                let found = try translate(arguments) { try iteration.next(subject, pattern, check: checker(arguments)) }
                guard let found else { return 0 }
                lua_pushinteger(L, lua_Integer(iteration.position))
                lua_copy(L, -1, positionIndex)
                lua_pushinteger(L, lua_Integer(iteration.lastMatchEnd ?? -1))
                lua_copy(L, -1, lastEndIndex)
                kl_pop(L, 2)
                return try push(found.values, of: subject, to: arguments)
            }
        }
    }

    /// Runs `body` with the subject (argument 1) and pattern (argument 2) bytes.
    private static func withSubjectAndPattern<T>(
        _ arguments: LuaArguments, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws -> T
    ) throws -> T {
        try arguments.withBytes(at: 1) { subject in
            try arguments.withBytes(at: 2) { pattern in
                try translate(arguments) { try body(subject, pattern) }
            }
        }
    }

    /// Turns the matcher's interruption into the kill the count hook would have raised.
    static func translate<T>(_ arguments: LuaArguments, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch LuaPatternError.interrupted {
            throw arguments.killError
        } catch LuaPatternError.outputTooLarge {
            throw arguments.memoryError("the result passed the memory cap")
        }
    }

    static func checker(_ arguments: LuaArguments) -> (Int) -> Bool {
        { steps in kl_check_kill(arguments.state, Int64(steps)) == Int32(KL_KILL_NONE) }
    }

    static func push(_ captures: [LuaCapture], of subject: UnsafeBufferPointer<UInt8>, to arguments: LuaArguments) throws -> Int32 {
        guard lua_checkstack(arguments.state, Int32(captures.count) + 2) != 0 else { throw LuaRaisedError("too many captures") }
        // Each capture becomes a new string: 32 captures of a long subject are 32 copies of it.
        let copied = captures.reduce(0) { total, capture in
            if case .range(let range) = capture { total + range.count } else { total }
        }
        try arguments.reserve(copied)
        for capture in captures {
            switch capture {
            case .range(let range):
                let slice = UnsafeBufferPointer(rebasing: subject[range])
                _ = lua_pushlstring(arguments.state, UnsafeRawPointer(slice.baseAddress)?.assumingMemoryBound(to: CChar.self), slice.count)
            case .position(let position):
                lua_pushinteger(arguments.state, lua_Integer(position))
            }
        }
        return Int32(captures.count)
    }
}
