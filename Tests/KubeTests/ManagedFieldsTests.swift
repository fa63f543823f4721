import ContainerIndexOracle
import FakeAPIServer
import Foundation
import JSONBytes
import Testing
@testable import Kube

/// `--strip-managed-fields`: the member is cut out of a pod's JSON and its container index, so
/// what stays decodes as before and the index still finds every container.
@Suite struct ManagedFieldsTests {
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

    @Test(arguments: metadata)
    func theMemberIsCutAndTheRestIsUnchanged(metadata: String) throws {
        let json = Self.pod(metadata: metadata)
        let record = PodRecord(key: PodKey(namespace: "default", name: "p"), uid: "u", resourceVersion: "7", phase: "Running",
                               json: json, index: PlainContainerIndex.of(json))
        let stripped = record.withoutManagedFields()

        var expected = try #require(JSONSerialization.jsonObject(with: Data(json)) as? NSDictionary)
        let meta = (expected["metadata"] as! NSDictionary).mutableCopy() as! NSMutableDictionary
        meta.removeObject(forKey: "managedFields")
        let mutable = expected.mutableCopy() as! NSMutableDictionary
        mutable["metadata"] = meta
        expected = mutable
        #expect(try JSONSerialization.jsonObject(with: Data(stripped.json)) as? NSDictionary == expected)
        #expect(stripped.index == PlainContainerIndex.of(stripped.json))
        #expect(stripped == PodRecord(key: record.key, uid: "u", resourceVersion: "7", phase: "Running", json: stripped.json))
        #expect(record.withoutManagedFields().withoutManagedFields() == stripped)
    }

    @Test func aStoreThatStripsDeliversAndKeepsPodsWithoutTheField() throws {
        var store = PodStore(stripsManagedFields: true)
        let json = Self.pod(metadata: Self.metadata[1])
        let pod = try PodRecord.scan(json)
        let added = store.apply(.added(pod))
        let replaced = store.replace(with: [try PodRecord.scan(Self.pod(metadata: Self.metadata[0].replacingOccurrences(of: "\"7\"", with: "\"8\"")))],
                                     at: "9", initial: false)
        for event in added + replaced {
            #expect(!String(decoding: event.pod.json, as: UTF8.self).contains("managedFields"))
            let old = String(decoding: event.old.map { Array($0.json) } ?? [], as: UTF8.self)
            #expect(!old.contains("managedFields"))
        }
        #expect(added.map(\.kind) == [.add])
        #expect(replaced.map(\.kind) == [.update])
        #expect(!String(decoding: try #require(store[pod.key]).json, as: UTF8.self).contains("managedFields"))
        var keeping = PodStore()
        #expect(keeping.apply(.added(pod)).first.map { Array($0.pod.json) } == json)
    }

    /// A pod as a watch brings it (framed, so short containers are not indexed), stripped: its
    /// bytes and index are exactly those of the shorter pod framed afresh.
    @Test func aFramedPodIsStrippedExactly() throws {
        let json = PodGenerator().bytes(3)
        var framer = JSONObjectFramer()
        let frames = try framer.append(Array(#"{"type":"ADDED","object":"#.utf8) + json + Array("}\n".utf8))
        guard case .added(let pod) = try WatchEvent.parse(#require(frames.first)) else {
            Issue.record("not an ADDED event")
            return
        }
        #expect(Array(pod.json) == json)
        let stripped = pod.withoutManagedFields()
        let bytes = Array(stripped.json)
        #expect(bytes.count < json.count)
        #expect(!String(decoding: bytes, as: UTF8.self).contains("managedFields"))
        var again = JSONObjectFramer()
        #expect(try again.append(bytes).first?.index == stripped.index)
        #expect(stripped.index == PlainContainerIndex.of(bytes, shortestIndexed: framer.shortestIndexed))
    }
}
