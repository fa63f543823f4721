import Lua

/// Reading requests from the three Lua entry points. Mistakes in how the script calls the
/// helper (wrong types, unknown fields, a bad method) raise a Lua error; everything that may
/// depend on data (the URL, the host, the response) answers `nil, err` later.
extension HTTPHelperRequest {
    /// `http.request{method = "POST", url = "...", headers = {...}, body = "...", timeout = 5}`
    static func read(requestTable arguments: LuaArguments) throws -> HTTPHelperRequest {
        try arguments.requireTable(at: 1)
        let fields = try Fields(arguments.value(at: 1), arguments: arguments, position: 1,
                                allowed: ["method", "url", "headers", "body", "timeout"])
        let method = try fields.string("method") ?? "GET"
        guard let url = try fields.string("url") else { throw fields.problem("url", expected: "string") }
        return HTTPHelperRequest(
            method: try validMethod(method, arguments), url: url, headers: try fields.headers(),
            body: try fields.bytes("body"), timeout: try fields.timeout())
    }

    /// `http.get(url, opts)` and `http.post(url, body, opts)`; opts holds headers and timeout.
    static func read(method: String, arguments: LuaArguments) throws -> HTTPHelperRequest {
        let url = try arguments.string(at: 1)
        var body: [UInt8]?
        var optionsPosition: Int32 = 2
        if method == "POST" {
            body = try arguments.bytes(at: 2)
            optionsPosition = 3
        }
        var options = Fields(.table([:]), arguments: arguments, position: optionsPosition)
        if !arguments.isNil(at: optionsPosition) {
            try arguments.requireTable(at: optionsPosition)
            options = try Fields(arguments.value(at: optionsPosition), arguments: arguments, position: optionsPosition,
                                 allowed: ["headers", "timeout"])
        }
        return HTTPHelperRequest(method: method, url: url, headers: try options.headers(), body: body, timeout: try options.timeout())
    }

    private static func validMethod(_ method: String, _ arguments: LuaArguments) throws -> String {
        let upper = method.uppercased()
        guard methods.contains(upper) else {
            throw arguments.invalid(1, "method '\(method)' is not one of \(methods.sorted().joined(separator: ", "))")
        }
        return upper
    }
}

/// The fields of a table argument, with errors naming the argument and the field.
private struct Fields {
    let table: [LuaValue: LuaValue]
    let arguments: LuaArguments
    let position: Int32

    init(_ value: LuaValue, arguments: LuaArguments, position: Int32) {
        guard case .table(let table) = value else { preconditionFailure("checked by the caller") }
        self.table = table
        self.arguments = arguments
        self.position = position
    }

    /// Refuses fields the helper does not know: a misspelt `header` must not vanish silently.
    init(_ value: LuaValue, arguments: LuaArguments, position: Int32, allowed: Set<String>) throws {
        self.init(value, arguments: arguments, position: position)
        for key in table.keys {
            guard let name = key.text, allowed.contains(name) else {
                throw arguments.invalid(position, "unknown field \(Self.show(key)); expected \(allowed.sorted().joined(separator: ", "))")
            }
        }
    }

    func string(_ name: String) throws -> String? {
        try bytes(name).map { String(decoding: $0, as: UTF8.self) }
    }

    func bytes(_ name: String) throws -> [UInt8]? {
        switch table[.string(name)] ?? .nil {
        case .nil: return nil
        case .string(let bytes): return bytes
        default: throw problem(name, expected: "string")
        }
    }

    /// Seconds; fractions allowed.
    func timeout() throws -> Double? {
        let seconds: Double
        switch table[.string("timeout")] ?? .nil {
        case .nil: return nil
        case .integer(let value): seconds = Double(value)
        case .number(let value): seconds = value
        default: throw problem("timeout", expected: "number")
        }
        guard seconds > 0, seconds.isFinite else { throw arguments.invalid(position, "field 'timeout' must be a positive number of seconds") }
        return seconds
    }

    /// `{["Content-Type"] = "application/json"}`; numbers are accepted as values.
    func headers() throws -> [(name: String, value: String)] {
        let value = table[.string("headers")] ?? .nil
        if case .nil = value { return [] }
        guard case .table(let entries) = value else { throw problem("headers", expected: "table") }
        var headers: [(name: String, value: String)] = []
        for (key, element) in entries {
            guard let name = key.text, !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte) else {
                throw arguments.invalid(position, "header name \(Self.show(key)) is not a valid HTTP header name")
            }
            let text: String
            switch element {
            case .string: guard let value = element.text else { throw headerValue(name, "is not UTF-8 text") }
                text = value
            case .integer(let number): text = String(number)
            case .number(let number): text = String(number)
            default: throw headerValue(name, "must be a string (got \(Self.typeName(element)))")
            }
            // A line break would let a value smuggle headers of its own.
            guard !text.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) else { throw headerValue(name, "contains a line break or NUL") }
            headers.append((name, text))
        }
        return headers.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }

    func problem(_ field: String, expected: String) -> LuaRaisedError {
        arguments.invalid(position, "field '\(field)': \(expected) expected, got \(Self.typeName(table[.string(field)] ?? .nil))")
    }

    private func headerValue(_ name: String, _ problem: String) -> LuaRaisedError {
        arguments.invalid(position, "header '\(name)' \(problem)")
    }

    /// RFC 9110 token characters.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    private static func show(_ key: LuaValue) -> String {
        if let text = key.text { return "'\(text)'" }
        return "[\(typeName(key))]"
    }

    static func typeName(_ value: LuaValue) -> String {
        switch value {
        case .nil: "nil"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .table: "table"
        case .opaque(let type): type
        }
    }
}
