import Testing

@testable import Kube

@Suite struct PodRecordingTests {
    let added = eventJSON("ADDED", podJSON("a", resourceVersion: "1"))
    let deleted = eventJSON("DELETED", podJSON("a", resourceVersion: "2"))

    @Test func watchStreamLines() throws {
        let entries = try PodRecording.parse(Array((added + "\n" + deleted + "\n").utf8))
        #expect(entries == [.event(.added(pod("a", rv: "1"))), .event(.deleted(pod("a", rv: "2")))])
    }

    @Test func kubectlWatchOutputIndented() throws {
        let indented = "{\n    \"type\": \"ADDED\",\n    \"object\": \(podJSON("a", resourceVersion: "1"))\n}\n{\n  \"type\": \"DELETED\",\n  \"object\": \(podJSON("a", resourceVersion: "2"))\n}\n"
        #expect(try PodRecording.parse(Array(indented.utf8)).count == 2)
    }

    @Test func kubectlListAndSinglePods() throws {
        let list = #"{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[\#(podJSON("a", resourceVersion: "1")),\#(podJSON("b", uid: "u2", resourceVersion: "2"))]}"#
        let single = podJSON("c", uid: "u3", resourceVersion: "3")
        #expect(try PodRecording.parse(Array((list + single).utf8)) == [
            .list([pod("a", rv: "1"), pod("b", uid: "u2", rv: "2")]), .event(.added(pod("c", uid: "u3", rv: "3"))),
        ])
    }

    @Test func errorsNameTheObject() {
        let error = #expect(throws: PodRecordingError.self) {
            try PodRecording.parse(Array((added + "\n" + #"{"type":"ADDED","object":{"metadata":{}}}"#).utf8))
        }
        #expect(error?.description == "object 2: pod without metadata.name at byte 25")
        #expect(throws: PodRecordingError.self) { try PodRecording.parse(Array((added + "\n{\"type\":").utf8)) }
    }
}
