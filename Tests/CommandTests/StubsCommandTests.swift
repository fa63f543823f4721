import Foundation
import LuaStubs
import Testing

/// `kubelua stubs`: the committed stubs in `editor/` are what the generator writes, the Pod's
/// fields have the schema's types, and every helper function of the sandbox has a stub.
@Suite(.timeLimit(.minutes(1))) struct StubsCommandTests {
    static let committed = KubeluaProcess.repository.path + "/editor"

    @Test func theCommittedStubsAreWhatTheGeneratorWrites() async throws {
        let folder = NSTemporaryDirectory() + "kubelua-stubs-" + UUID().uuidString
        let run = try await KubeluaProcess.run(["stubs", folder])
        #expect(run.status == 0, "\(run.errors)")
        let paths = [".kubelua/kubernetes.lua", ".kubelua/kubelua.lua", ".luarc.json"]
        #expect(run.lines == paths.map { "wrote \(folder)/\($0)" })
        for path in paths {
            let written = try String(contentsOfFile: folder + "/" + path, encoding: .utf8)
            let expected = try String(contentsOfFile: Self.committed + "/" + path, encoding: .utf8)
            #expect(written == expected, "editor/\(path) differs from the generator's output: run `kubelua stubs editor` and commit")
        }
    }

    /// Each field of these definitions, read from the schema's JSON here (not through the
    /// generator's model), appears as `---@field name[?] type` with the type the schema gives.
    @Test(arguments: ["Pod", "PodSpec", "PodStatus", "Container", "ContainerStatus", "ObjectMeta", "ContainerPort", "ResourceRequirements"])
    func podFieldsHaveTheSchemasTypes(_ name: String) throws {
        let root = try #require(JSONSerialization.jsonObject(with: Data(KubernetesSchema.podJSON.utf8)) as? [String: Any])
        let definitions = try #require(root["definitions"] as? [String: [String: Any]])
        let (full, definition) = try #require(definitions.first { $0.key.hasSuffix("." + name) })
        let text = KubernetesLuaTypes(schema: .pod).text
        let block = try #require(text.components(separatedBy: "\n---@class k8s.\(name)\n").dropFirst().first?.components(separatedBy: "\n\n").first)
        let required = Set(definition["required"] as? [String] ?? [])
        let properties = try #require(definition["properties"] as? [String: [String: Any]])
        #expect(!properties.isEmpty, "\(full)")
        for (field, schema) in properties {
            // A string enum is an alias named after its field, listing the values.
            let expected = schema["enum"] == nil ? Self.expectedType(schema, definitions) : "k8s.\(name).\(field)"
            if let values = schema["enum"] as? [String] {
                #expect(text.contains("---@alias k8s.\(name).\(field) " + values.map { "\"\($0)\"" }.joined(separator: "|") + "\n"))
            }
            let prefix = "---@field \(field)\(required.contains(field) ? "" : "?") \(expected)"
            #expect(block.split(separator: "\n").contains { $0 == prefix || $0.hasPrefix(prefix + " ") }, "\(name).\(field): expected \(prefix)")
        }
    }

    /// The issue's mapping, written out independently of the generator.
    static func expectedType(_ schema: [String: Any], _ definitions: [String: [String: Any]]) -> String {
        if let reference = (schema["$ref"] as? String)?.split(separator: "/").last.map(String.init) {
            switch reference.split(separator: ".").last! {
            case "IntOrString": return "integer|string"
            case "Quantity", "Time", "MicroTime": return "string"
            default: return "k8s." + reference.split(separator: ".").last!
            }
        }
        let types = (schema["type"] as? [String]) ?? [(schema["type"] as? String) ?? ""]
        if types.contains("array") {
            let item = expectedType(schema["items"] as? [String: Any] ?? [:], definitions)
            return (item.contains("|") ? "(\(item))" : item) + "[]"
        }
        if types.contains("object") {
            return "table<string, \((schema["additionalProperties"] as? [String: Any]).map { expectedType($0, definitions) } ?? "any")>"
        }
        for scalar in ["integer", "number", "boolean"] where types.contains(scalar) { return scalar }
        return "string"
    }

    @Test func everyHelperFunctionOfTheSandboxHasAStub() async throws {
        let root = NSTemporaryDirectory() + "kubelua-helpers-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/hooks/default", withIntermediateDirectories: true)
        // Lua's own globals and libraries are LuaLS's; the rest is kubelua's.
        try """
            local lua = {}
            for name in ("assert error ipairs next pairs rawequal rawget rawlen rawset select tonumber tostring type " ..
                         "getmetatable setmetatable pcall xpcall load print require _G _VERSION string table math utf8 coroutine"):gmatch("%S+") do
              lua[name] = true
            end
            local names = {}
            for name, value in pairs(_G) do
              if not lua[name] and type(value) == "function" then names[#names + 1] = name end
              if not lua[name] and type(value) == "table" then
                for field, member in pairs(value) do
                  if type(member) == "function" then names[#names + 1] = name .. "." .. field end
                end
              end
            end
            table.sort(names)
            print(table.concat(names, " "))
            function on_add(pod) end
            """.write(toFile: root + "/hooks/default/list.lua", atomically: true, encoding: .utf8)
        try #"{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"default","uid":"a","resourceVersion":"1"}}}"#
            .write(toFile: root + "/events.ndjson", atomically: true, encoding: .utf8)
        let run = try await KubeluaProcess.run(["replay", "--hooks", root + "/hooks", root + "/events.ndjson"])
        #expect(run.status == 0, "\(run.errors)")
        let helpers = try #require(run.lines.first).split(separator: " ").map(String.init)
        for module in ["kube.delete", "http.post", "log.info", "json.encode", "metrics.counter", "timer.after", "os.getenv", "retry"] {
            #expect(helpers.contains(module), "the listing found \(module)")
        }
        let stubs = KubeluaLuaStubs.text
        let missing = helpers.filter { !stubs.contains("\nfunction \($0)(") }
        #expect(missing == [], "helpers without a stub in KubeluaLuaStubs: \(missing)")
    }
}
