import Lua
import NIOHTTP1

/// A complete response, as the script receives it.
struct HTTPHelperResponse: Sendable {
    var status: Int
    /// Lower-cased names, in the order they first appeared; repeated headers joined with ", ".
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.body = body
        var merged: [(name: String, value: String)] = []
        var positions: [String: Int] = [:]
        for (name, value) in headers {
            let name = name.lowercased()
            if let position = positions[name] {
                merged[position].value += ", " + value
            } else {
                positions[name] = merged.count
                merged.append((name, value))
            }
        }
        self.headers = merged
    }

    /// `{status = 200, headers = {["content-type"] = "..."}, body = "..."}`
    var luaValue: LuaValue {
        .table([
            "status": .integer(Int64(status)),
            "headers": .table(Dictionary(headers.map { (LuaValue.string($0.name), LuaValue.string($0.value)) }, uniquingKeysWith: { a, _ in a })),
            "body": .string(body),
        ])
    }
}
