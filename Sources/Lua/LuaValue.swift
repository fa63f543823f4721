/// A Lua value copied out of (or to be pushed into) a state.
///
/// Tables are copied by value; functions, userdata and threads are named by type only.
public enum LuaValue: Sendable, Hashable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    /// A Lua string: bytes, possibly with NULs and not necessarily UTF-8.
    case string([UInt8])
    case table([LuaValue: LuaValue])
    /// A value Swift cannot hold (function, userdata, thread, light userdata), by type name.
    case opaque(String)

    public static func string(_ text: String) -> LuaValue { .string(Array(text.utf8)) }

    /// An array-like table `{values[1], values[2], ...}`.
    public static func array(_ values: [LuaValue]) -> LuaValue {
        .table(Dictionary(uniqueKeysWithValues: values.enumerated().map { (.integer(Int64($0.offset + 1)), $0.element) }))
    }

    /// The string's text when it is valid UTF-8.
    public var text: String? {
        guard case .string(let bytes) = self else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    public subscript(key: String) -> LuaValue {
        guard case .table(let fields) = self else { return .nil }
        return fields[.string(key)] ?? .nil
    }

    public subscript(index: Int) -> LuaValue {
        guard case .table(let fields) = self else { return .nil }
        return fields[.integer(Int64(index))] ?? .nil
    }
}

extension LuaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(nilLiteral: ()) { self = .nil }
}
