import ContainerIndexOracle
import FakeAPIServer
import Foundation
import JSONBytes
import Testing
@testable import Kube

/// Projection: a pod narrowed to what its readers declared is cut out of its JSON and its
/// container index, so what stays decodes as the same members and the index still finds them.
@Suite struct PodProjectionTests {
    static let managed = #""managedFields":[{"manager":"kubectl","operation":"Update","fieldsV1":{"f:metadata":{"f:labels":{".":{}}}}}]"#

    /// Metadata with managedFields first, between others, last, alone, and absent.
    static let metadata = [
        "{\(managed),\"name\":\"p\",\"namespace\":\"default\",\"uid\":\"u\",\"resourceVersion\":\"7\"}",
        "{\"name\":\"p\",\"namespace\":\"default\", \(managed) ,\"uid\":\"u\",\"resourceVersion\":\"7\",\"labels\":{\"a\":\"b\"}}",
        "{\"name\":\"p\",\"namespace\":\"default\",\"uid\":\"u\",\"resourceVersion\":\"7\",\n  \(managed)\n}",
        "{\(managed)}",
        "{\"name\":\"p\",\"namespace\":\"default\",\"uid\":\"u\",\"resourceVersion\":\"7\"}",
    ]

    static func pod(metadata: String) -> [UInt8] {
        Array(#"{"apiVersion":"v1","kind":"Pod","metadata":\#(metadata),"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Running"}}"#.utf8)
    }

    static let stripped = PodProjection.whole(strippingManagedFields: true)

    /// The value with only `paths` kept (each keeps what is under it; arrays pass a path on to
    /// their elements), less `metadata.managedFields` when `strip` and no path names it: the
    /// rule written plainly over Foundation's objects, apart from the byte walker it checks.
    static func expected(_ value: Any, keeping paths: [[String]]) -> Any {
        if paths.contains([]) { return value }
        if let array = value as? [Any] { return array.map { expected($0, keeping: paths) } }
        guard let object = value as? [String: Any] else { return value }
        var kept: [String: Any] = [:]
        for (key, member) in object {
            let inner = paths.filter { $0.first == key }.map { Array($0.dropFirst()) }
            if !inner.isEmpty { kept[key] = expected(member, keeping: inner) }
        }
        return kept
    }

    static func object(_ json: some Sequence<UInt8>) throws -> NSDictionary {
        try #require(JSONSerialization.jsonObject(with: Data(json)) as? NSDictionary)
    }

    /// Every container the index names is one of the text's, where it is.
    static func indexIsSound(_ record: PodRecord) -> Bool {
        let all = Set(stride(from: 0, to: PlainContainerIndex.of(record.json).pairs.count, by: 2).map {
            let pairs = PlainContainerIndex.of(record.json).pairs
            return [pairs[$0], pairs[$0 + 1]]
        })
        let pairs = record.index.pairs
        return stride(from: 0, to: pairs.count, by: 2).allSatisfy { all.contains([pairs[$0], pairs[$0 + 1]]) }
    }

    @Test(arguments: metadata)
    func strippingCutsManagedFieldsAndLeavesTheRest(metadata: String) throws {
        let json = Self.pod(metadata: metadata)
        let record = PodRecord(key: PodKey(namespace: "default", name: "p"), uid: "u", resourceVersion: "7", phase: "Running",
                               json: json, index: PlainContainerIndex.of(json))
        let stripped = record.projected(by: Self.stripped)
        let meta = try Self.object(json)["metadata"] as! [String: Any]
        var expected = try Self.object(json) as! [String: Any]
        expected["metadata"] = meta.filter { $0.key != "managedFields" }
        #expect(try Self.object(stripped.json) == expected as NSDictionary)
        #expect(stripped.index == PlainContainerIndex.of(stripped.json))
        #expect(stripped == PodRecord(key: record.key, uid: "u", resourceVersion: "7", phase: "Running", json: stripped.json))
        #expect(stripped.projected(by: Self.stripped) == stripped)
    }

    /// Declared paths over realistic pods (framed as a watch brings them): the cached bytes are
    /// exactly the union, cut at parse time in one copy, the same as cutting the whole pod
    /// afterwards, with a sound index.
    @Test(arguments: [
        [["metadata"], ["status", "phase"]],
        [["metadata", "name"], ["spec", "containers", "image"], ["status", "containerStatuses", "restartCount"]],
        [["status"], ["spec", "nodeName"], ["metadata", "managedFields"]],
        [["apiVersion"]],
        [["no", "such", "member"]],
    ])
    func aPodKeepsExactlyWhatIsDeclared(paths: [[String]]) throws {
        let generator = PodGenerator()
        for number in 0..<6 {
            let json = generator.bytes(number)
            var framer = JSONObjectFramer()
            let frame = try #require(try framer.append(Array(#"{"type":"ADDED","object":"#.utf8) + json + Array("}\n".utf8)).first)
            let projection = JSONProjection(keeping: paths)
            guard case .added(let narrowed) = try WatchEvent.parse(frame, projection: projection),
                  case .added(let whole) = try WatchEvent.parse(frame)
            else {
                Issue.record("not an ADDED event")
                return
            }
            #expect(Array(whole.json) == json)
            #expect(try Self.object(narrowed.json) == Self.expected(try Self.object(json), keeping: paths) as! NSDictionary)
            #expect(Array(narrowed.json) == Array(whole.projected(by: projection).json))
            #expect(narrowed.json.count < json.count)
            #expect(Self.indexIsSound(narrowed))
            #expect(narrowed.key == whole.key && narrowed.uid == whole.uid && narrowed.phase == whole.phase)
        }
    }

    @Test func membersDroppedFirstBetweenAndLastLeaveValidJSON() throws {
        let pairs: [(String, [[String]], String)] = [
            (#"{"a":1,"b":{"x":[1,2]},"c":"3"}"#, [["b"]], #"{"b":{"x":[1,2]}}"#),
            (#"{ "a" : 1 , "b" : 2 , "c" : 3 }"#, [["b"]], #"{"b" : 2 }"#),
            (#"{"b":2,"a":1,"c":3}"#, [["b"]], #"{"b":2}"#),
            (#"{"a":1,"c":3}"#, [["b"]], #"{}"#),
            (#"{"b":[{"y":1,"x":2},{"x":3}],"z":[]}"#, [["b", "x"]], #"{"b":[{"x":2},{"x":3}]}"#),
        ]
        for (json, paths, kept) in pairs {
            let bytes = Array(json.utf8)
            let record = PodRecord(
                key: PodKey(namespace: "n", name: "p"), uid: "", resourceVersion: "", phase: nil, json: bytes, index: PlainContainerIndex.of(bytes))
            let narrowed = record.projected(by: JSONProjection(keeping: paths))
            #expect(String(decoding: narrowed.json, as: UTF8.self) == kept)
            #expect(narrowed.index == PlainContainerIndex.of(narrowed.json))
        }
    }

    @Test func readingMetadataLeavesManagedFieldsOutUnlessNamedWhileTheyAreStripped() {
        let metadata = PodProjection.reading([["metadata"]], strippingManagedFields: true)
        #expect(metadata.keeps(["metadata", "name"]))
        #expect(!metadata.keeps(["metadata", "managedFields"]))
        let named = PodProjection.reading([["metadata"], PodProjection.managedFields], strippingManagedFields: true)
        #expect(named.keeps(["metadata", "managedFields", "manager"]))
        #expect(named == JSONProjection(keeping: [["metadata"]]))
        #expect(PodProjection.reading([["metadata"]], strippingManagedFields: false).keeps(PodProjection.managedFields))
        #expect(!PodProjection.reading([["status"]], strippingManagedFields: true).keeps(["metadata"]))
    }

    @Test func aWatchKeepsTheUnionOfItsReadersOrEverythingWhenOneDeclaresNothing() {
        let phase = JSONProjection(keeping: [["status", "phase"]]), node = JSONProjection(keeping: [["spec", "nodeName"]])
        let union = PodProjection.cached(views: [phase, node], selecting: [["spec", "restartPolicy"]], strippingManagedFields: true)
        #expect(union == JSONProjection(keeping: PodProjection.required + [["spec", "nodeName"], ["spec", "restartPolicy"]]))
        #expect(!union.keeps(["spec", "containers"]))
        #expect(PodProjection.cached(views: [phase, nil], selecting: [], strippingManagedFields: true) == PodProjection.whole(strippingManagedFields: true))
        // One reader names managedFields, another declares nothing: the whole pod.
        let managed = JSONProjection(keeping: [PodProjection.managedFields])
        #expect(PodProjection.cached(views: [managed, nil], selecting: [], strippingManagedFields: true) == .everything)
    }

    @Test func theCacheSaysWhichWatchesWidened() {
        let cache = PodCache(stripManagedFields: true)
        let narrow = JSONProjection(keeping: [["status", "phase"]]), wider = JSONProjection(keeping: [["status"]])
        #expect(cache.keep(["default": narrow]).isEmpty)
        #expect(cache.keep(["default": wider, "other": narrow]) == ["default"])
        #expect(cache.keep(["default": narrow, "other": narrow]).isEmpty)
        #expect(cache.projection(forPodIn: "default") == narrow)
        #expect(cache.projection(forWatch: "elsewhere") == cache.wholePod)
        // One watch of all namespaces decides for every pod.
        #expect(cache.keep([nil: wider]).isEmpty)
        #expect(cache.projection(forPodIn: "default") == wider)
    }
}
