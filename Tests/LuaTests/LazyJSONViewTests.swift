import ContainerIndexOracle
import JSONBytes
import Testing

@testable import Lua

/// A document pushed with a view (`pushLazyJSON(_:view:)`) answers every probe exactly as the
/// document that holds only what the view keeps, decoded eagerly: what the view drops is absent,
/// however it is read.
@Suite(.timeLimit(.minutes(1))) struct LazyJSONViewTests {
    static let views: [(JSONProjection, String)] = [
        (JSONProjection(keeping: [["metadata", "name"], ["metadata", "labels"], ["spec", "containers", "name"], ["status"], ["list"], ["matrix"]]),
         #"""
         {"metadata":{"name":"web-1","labels":{"app":"web","tier":"front","esc\"aped":"é\u00e9"}},
          "spec":{"containers":[{"name":"app"},{"name":"side"}]},
          "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]},
          "list":["b","a","c"], "matrix":[[1,2],[3,[4,{"x":[]}]],[]]}
         """#),
        (JSONProjection.everything.excluding(["metadata", "labels"]).excluding(["spec"]).excluding(["numbers"]),
         #"""
         {"apiVersion":"v1","kind":"Pod",
          "metadata":{"name":"web-1","namespace":"default","ownerReferences":[{"kind":"ReplicaSet","name":"web"}]},
          "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]},
          "list":["b","a","c"], "empty":{}, "emptyList":[], "null":null,
          "int":7, "float":1.5, "exp":-2e3, "yes":true, "no":false, "matrix":[[1,2],[3,[4,{"x":[]}]],[]]}
         """#),
    ]

    static let probes = [
        "return canon(doc)",
        "return tostring(doc.kind) .. tostring(doc.metadata.namespace) .. doc.metadata.name",
        "return tostring(doc.spec and canon(doc.spec.containers))",
        "return json.encode(doc.list) .. canon(json.decode(json.encode(doc)))",
        "local c = 0 for _ in pairs(doc.metadata) do c = c + 1 end return c",
        "return tostring(rawget(doc, 'apiVersion')) .. tostring(doc.spec and next(doc.spec.containers[1], 'name'))",
        "return tostring(doc.spec and doc.spec.containers[1].ports) .. type(doc.metadata.labels)",
        "local k = {} for key in next, doc do k[#k + 1] = key end table.sort(k) return table.concat(k, ',')",
        "return canon(doc.matrix) .. canon(doc.status) .. #doc.list",
    ]

    @Test(arguments: 0..<2, probes)
    func aViewedDocumentAnswersAsTheDocumentOfWhatItKeeps(view: Int, probe: String) async throws {
        let (projection, kept) = Self.views[view]
        let eager = try await LazyJSONTests.run(probe, .eager, json: kept)
        #expect(eager != nil && eager != .nil)
        let bytes = Array(LazyJSONTests.document.utf8)
        for index in [JSONContainerIndex(), PlainContainerIndex.of(bytes), PlainContainerIndex.of(bytes, shortestIndexed: 40)] {
            let script = try LuaScript(
                source: Array("\(LazyJSONTests.canon)\nfunction run(doc)\n\(probe)\nend".utf8), chunkName: "probe.lua", sandbox: testSandbox)
            let viewed = try await script.call("run", resultCount: 1) { (state) throws(LuaError) -> Int32 in
                do throws(LuaJSONError) {
                    try state.pushLazyJSON(JSONText(bytes, index: index), view: projection)
                } catch {
                    throw LuaError(kind: .runtime, message: error.message)
                }
                return 1
            }?.first
            #expect(viewed == eager)
        }
    }
}
