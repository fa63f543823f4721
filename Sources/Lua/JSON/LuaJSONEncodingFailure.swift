import CLua
import JSONBytes

/// A failure inside the encoder, carrying the path to the offending value. Components are
/// appended innermost first while the failure unwinds, and reversed once at the top.
struct LuaJSONEncodingFailure: Error {
    enum Component {
        case field(String)
        case index(Int64)
        case number(String)
        case other(Int32)
    }

    var kind: LuaJSONError.Kind
    var reason: String
    var path: [Component] = []

    init(_ kind: LuaJSONError.Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    /// `$` for the root, `.name` for identifier-like keys, `["other key"]`, `[3]` for array
    /// indices (1-based, as Lua sees them) and integer keys.
    var renderedPath: String {
        var text = "$"
        for component in path.reversed() {
            switch component {
            case .field(let name) where Self.isIdentifier(name):
                text += "." + name
            case .field(let name):
                text += "[\"" + Self.escaped(name) + "\"]"
            case .index(let i):
                text += "[\(i)]"
            case .number(let number):
                text += "[\(number)]"
            case .other(let type):
                text += "[<\(LuaJSONEncoder.describe(type: type))>]"
            }
        }
        return text
    }

    var publicError: LuaJSONError {
        let path = renderedPath
        return LuaJSONError(kind: kind, message: "\(reason) at \(path)", path: path)
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || JSONScan.isDigit($0) }
    }

    static func isLetter(_ c: UInt8) -> Bool {
        (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")
    }

    static func escaped(_ name: String) -> String {
        var text = ""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case _ where scalar.value < 0x20:
                text += "\\u" + String(repeating: "0", count: scalar.value < 0x10 ? 3 : 2) + String(scalar.value, radix: 16)
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text
    }
}

extension LuaJSONEncoder {
    /// How a key appears in a path; only used on the way out of a failure.
    func pathComponent(forKey key: Int32) -> LuaJSONEncodingFailure.Component {
        switch lua_type(L, key) {
        case LUA_TSTRING:
            var length = 0
            let text = lua_tolstring(L, key, &length)!
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: length)
            return .field(String(decoding: bytes, as: UTF8.self))
        case LUA_TNUMBER where lua_isinteger(L, key) != 0:
            return .index(lua_tointegerx(L, key, nil))
        case LUA_TNUMBER:
            return .number(lua_tonumberx(L, key, nil).description)
        case let type:
            return .other(type)
        }
    }
}
