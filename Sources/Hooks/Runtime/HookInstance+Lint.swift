import Lua

extension HookInstance {
    /// What the script's globals hold now, for `HookLint`: each name, `name()` for functions,
    /// and `library.field` for the fields of every global table. Empty when it did not load.
    func globalNames() -> Set<String> {
        guard let script else { return [] }
        let state = script.state, base = state.top
        defer { state.setTop(base) }
        let listing = """
            local names = {}
            for name, value in next, _G do
              if type(name) == "string" then
                names[#names + 1] = name
                if type(value) == "function" then names[#names + 1] = name .. "()" end
                if type(value) == "table" and name ~= "_G" then
                  pcall(function() for field in pairs(value) do
                    if type(field) == "string" then names[#names + 1] = name .. "." .. field end
                  end end)
                end
              end
            end
            return table.concat(names, "\\n")
            """
        do {
            try state.load(listing, chunkName: "kubelua check")
            try state.call(resultCount: 1, limits: environment.sandbox.limits.call)
        } catch {
            return []
        }
        guard case .string(let bytes)? = try? state.value(at: -1) else { return [] }
        return Set(String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init))
    }
}
