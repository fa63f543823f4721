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
        #expect(error?.description == "line 2, column 26: pod without metadata.name")
        #expect(error?.entry == 2)
        let cut = #expect(throws: PodRecordingError.self) { try PodRecording.parse(Array((added + "\n{\"type\":").utf8)) }
        #expect(cut?.description == "line 2, column 1: this object is incomplete (the file ends inside it)")
    }

    @Test func objectsOtherThanPodsAreRefusedByKind() {
        let deployment = #"{"kind":"Deployment","metadata":{"name":"web","namespace":"prod","resourceVersion":"1"}}"#
        let cases = [
            (deployment, "line 1, column 1: this object is a Deployment (prod/web), not a Pod: replay reads pods only"),
            (#"{"type":"ADDED","object":\#(deployment)}"#, "line 1, column 26: the event's object is a Deployment (prod/web), not a Pod: replay reads pods only"),
            (#"{"kind":"DeploymentList","items":[]}"#, "line 1, column 1: a DeploymentList, not a list of pods: replay reads pods only"),
        ]
        for (text, message) in cases {
            let error = #expect(throws: PodRecordingError.self) { try PodRecording.parse(Array(text.utf8)) }
            #expect(error?.description == message)
        }
    }

    @Test func textThatIsNotJSONSaysSoAndRecognisesYAML() {
        let yaml = #expect(throws: PodRecordingError.self) { try PodRecording.parse(Array("\n---\nkind: Pod\n".utf8)) }
        #expect(yaml?.description == "line 2, column 1: not JSON: this looks like YAML, which replay does not read (record with -o json)")
        let other = #expect(throws: PodRecordingError.self) { try PodRecording.parse(Array((added + "\n]").utf8)) }
        #expect(other?.description == "line 2, column 1: not JSON: found ']' where a JSON object should start")
    }
}
