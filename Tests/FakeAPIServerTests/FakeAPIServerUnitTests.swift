@testable import FakeAPIServer
import Foundation
import Testing

/// The pieces under the HTTP layer: field selectors, merge patch, history, fault matching (label
/// selectors: `LabelFilterTests`).
@Suite struct FakeAPIServerUnitTests {
    @Test func fieldSelectorGrammar() throws {
        let fields = ["metadata.name": "p", "status.phase": "Running", "spec.nodeName": ""]
        #expect(try FieldFilter(parsing: "status.phase=Running,metadata.name==p").matches(fields))
        #expect(try FieldFilter(parsing: "spec.nodeName=").matches(fields))
        #expect(try !FieldFilter(parsing: "status.phase!=Running").matches(fields))
        #expect(throws: StatusError.self) { try FieldFilter(parsing: "metadata.labels=x") }
        #expect(throws: StatusError.self) { try FieldFilter(parsing: "status.phase") }
    }

    @Test func mergePatchFollowsRFC7386() {
        let target: [String: Any] = ["a": "b", "c": ["d": "e", "f": "g"], "list": [1, 2]]
        let patch: [String: Any] = ["a": "z", "c": ["f": NSNull()], "list": [3], "new": ["x": 1]]
        let result = MergePatch.apply(patch, to: target) as? [String: Any] ?? [:]
        #expect(result["a"] as? String == "z")
        #expect(result["c"] as? [String: String] == ["d": "e"])
        #expect(result["list"] as? [Int] == [3])
        #expect((result["new"] as? [String: Int]) == ["x": 1])
    }

    @Test func faultSchedules() {
        let book = FaultBook()
        book.add(.status(code: 500), on: .watch, .nth(3))
        book.add(.closeAfter(events: 1), on: .watch, .times(2))
        book.add(.expiredContinue, on: .page(2), .always)
        let watches = (0..<4).map { _ in book.take(kind: .watch, page: nil) }
        #expect(watches == [.closeAfter(events: 1), .closeAfter(events: 1), .status(code: 500), nil])
        #expect(book.take(kind: .list, page: 1) == nil)
        #expect(book.take(kind: .list, page: 2) == .expiredContinue)
        #expect(book.take(kind: .list, page: 2) == .expiredContinue)
        #expect(book.pending.count == 1)
    }

    @Test func continueTokenRoundTrips() throws {
        let token = ContinueToken(resourceVersion: 1234, lastKey: NamespacedName(namespace: "ns", name: "pod-1"), page: 3)
        #expect(try ContinueToken(decoding: token.encoded) == token)
        #expect(throws: StatusError.self) { try ContinueToken(decoding: "not-a-token") }
    }

    @Test func snapshotsUndoHistory() throws {
        let server = FakeAPIServer()
        try server.createPod(name: "a", labels: ["v": "1"])
        let v1 = server.currentResourceVersion
        try server.setLabels(name: "a", ["v": "2"])
        try server.createPod(name: "b")
        try server.delete(name: "a")
        let snapshot = try #require(server.core.store.state.withLock { $0.snapshot(at: UInt64(v1)!) })
        #expect(snapshot.count == 1)
        #expect(snapshot.values.first?.labels == ["v": "1"])
        server.compact()
        #expect(server.core.store.state.withLock { $0.snapshot(at: UInt64(v1)!) } == nil)
    }

    @Test func noOpUpdatesKeepTheVersion() throws {
        let server = FakeAPIServer()
        let pod = try server.createPod(name: "a", phase: "Running")
        #expect(try server.setPhase(name: "a", "Running").resourceVersion == pod.resourceVersion)
        #expect(try server.modify(name: "a") { _ in }.resourceVersion == pod.resourceVersion)
        #expect(try server.setPhase(name: "a", "Failed").resourceVersion != pod.resourceVersion)
    }

    @Test func touchRewritesAnAnnotationInPlace() throws {
        let server = FakeAPIServer()
        try server.create(["metadata": ["name": "a", "annotations": ["stamp": "0000", "other": "x"], "labels": ["stamp": "keep"]]])
        try server.create(["metadata": ["name": "b", "labels": ["stamp": "0000"]]])
        let before = Int(server.currentResourceVersion)!
        let touched = try server.touch(name: "a", rewriting: "stamp") { "1234" }
        #expect(Int(touched.resourceVersion) == before + 1)
        let metadata = touched.object["metadata"] as? [String: Any] ?? [:]
        #expect(metadata["annotations"] as? [String: String] == ["stamp": "1234", "other": "x"])
        #expect(metadata["labels"] as? [String: String] == ["stamp": "keep"])
        #expect(metadata["resourceVersion"] as? String == touched.resourceVersion)
        #expect(throws: StatusError.self) { try server.touch(name: "a", rewriting: "stamp") { "12345" } }
        #expect(throws: StatusError.self) { try server.touch(name: "a", rewriting: "missing") { "1" } }
        #expect(throws: StatusError.self) { try server.touch(name: "b", rewriting: "stamp") { "1234" } }
        #expect(server.currentResourceVersion == touched.resourceVersion)
    }
}
