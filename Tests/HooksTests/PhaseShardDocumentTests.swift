@testable import Hooks
import Testing

/// How a shard of phase memory and the values document are written and read back, and what a
/// damaged one says.
struct PhaseShardDocumentTests {
    typealias Pod = HookStateStore.RememberedPod

    @Test func knownPhasesTakeOneLetterOthersAreWrittenWholeAndAllReadBack() throws {
        let pods = [
            "u1": Pod(namespace: "default", name: "web-1", phase: "Running"),
            "u2": Pod(namespace: "default", name: "job-2", phase: "Succeeded"),
            "u3": Pod(namespace: "batch", name: "odd", phase: "Evicted/Soon"),
            "u4": Pod(namespace: "batch", name: "bare", phase: ""),
            "u5": Pod(namespace: "batch", name: "r", phase: "R"),
        ]
        let document = PhaseShardDocument.encoded(pods)
        #expect(String(decoding: document, as: UTF8.self)
            == #"{"phases":{"batch":{"u3":"Evicted/Soon/odd","u4":"/bare","u5":"R/r"},"default":{"u1":"Rweb-1","u2":"Sjob-2"}}}"#)
        #expect(try PhaseShardDocument.parsing(document, part: .phases(shard: 0)) == pods)
    }

    @Test func aDamagedDocumentIsAnErrorThatSaysWhatIsWrong() {
        let part = HookStatePart.phases(shard: 3)
        #expect(throws: HookStateError.self) { try PhaseShardDocument.parsing(Array("[]".utf8), part: part) }
        do {
            _ = try PhaseShardDocument.parsing(Array(#"{"phases":{"default":{"u1":"Xweb"}}}"#.utf8), part: part)
            Issue.record("an entry with no known phase letter was read")
        } catch {
            #expect("\(error)" == "the state's phase shard 3 has an entry for u1 that is neither a phase letter and a name nor phase/name: Xweb")
        }
        do {
            _ = try HookStateDocument(parsing: Array(#"{"phaseShards":0,"values":{}}"#.utf8))
            Issue.record("a shard count of 0 was read")
        } catch {
            #expect("\(error)" == "the state document's phaseShards is not a number from 1 to 64: 0")
        }
    }
}
