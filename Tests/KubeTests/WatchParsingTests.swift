import ContainerIndexOracle
import FakeAPIServer
import JSONBytes
import Testing

@testable import Kube

@Suite struct WatchParsingTests {
    @Test func podRecordsKeepTheFieldsTheInformerNeedsAndTheExactBytes() throws {
        let text = podJSON("busybox", namespace: "jobs", uid: "u-7", resourceVersion: "42", phase: "Running")
        let record = try PodRecord.scan(Array(text.utf8))
        #expect(record.key == PodKey(namespace: "jobs", name: "busybox"))
        #expect(record.uid == "u-7")
        #expect(record.resourceVersion == "42")
        #expect(record.phase == "Running")
        #expect(Array(record.json) == Array(text.utf8))
    }

    @Test func escapedStringsAreDecoded() throws {
        let text = #"{"metadata":{"name":"a\u00e9\"b","namespace":"n\\s","resourceVersion":"1"},"status":{"phase":null}}"#
        let record = try PodRecord.scan(Array(text.utf8))
        #expect(record.key.name == "aé\"b")
        #expect(record.key.namespace == "n\\s")
        #expect(record.phase == nil)
    }

    @Test func eventsOfEveryTypeParse() throws {
        let object = podJSON("p", resourceVersion: "9")
        #expect(try WatchEvent.parse(Array(eventJSON("ADDED", object).utf8)) == .added(pod("p", rv: "9")))
        #expect(try WatchEvent.parse(Array(eventJSON("MODIFIED", object).utf8)) == .modified(pod("p", rv: "9")))
        #expect(try WatchEvent.parse(Array(eventJSON("DELETED", object).utf8)) == .deleted(pod("p", rv: "9")))
        let bookmark = eventJSON("BOOKMARK", #"{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"12345","annotations":{"k8s.io/initial-events-end":"true"}}}"#)
        #expect(try WatchEvent.parse(Array(bookmark.utf8)) == .bookmark(resourceVersion: "12345"))
        let gone = eventJSON("ERROR", #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}"#)
        #expect(try WatchEvent.parse(Array(gone.utf8)) == .error(APIStatus(code: 410, reason: "Expired", message: "too old resource version: 1 (5)")))
        let throttled = eventJSON("ERROR", #"{"kind":"Status","code":429,"reason":"TooManyRequests","details":{"retryAfterSeconds":3}}"#)
        #expect(try WatchEvent.parse(Array(throttled.utf8)) == .error(APIStatus(code: 429, reason: "TooManyRequests", retryAfterSeconds: 3)))
    }

    @Test(arguments: [
        (#"{"type":"SURPRISE","object":{}}"#, "unknown watch event type \"SURPRISE\""),
        (#"{"object":{}}"#, "watch event without a type"),
        (#"{"type":"ADDED","object":{"metadata":{}}}"#, "pod without metadata.name"),
        (#"{"type":"ADDED","object":{"metadata":{"name":"x","resourceVersion":"1"}"#, "unterminated object or array"),
    ])
    func badEventsAreErrors(text: String, message: String) {
        let error = #expect(throws: JSONScanError.self) { try WatchEvent.parse(Array(text.utf8)) }
        #expect(error?.message == message)
    }

    @Test func listPagesCarryTheirResourceVersionAndContinueToken() throws {
        let body = #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"77","continue":"tok"},"items":[\#(podJSON("a", resourceVersion: "5")),\#(podJSON("b", uid: "u2", resourceVersion: "6"))]}"#
        let page = try PodListPage.parse(Array(body.utf8))
        #expect(page.resourceVersion == "77")
        #expect(page.continueToken == "tok")
        #expect(page.items.map(\.key.name) == ["a", "b"])
        #expect(Array(page.items[1].json) == Array(podJSON("b", uid: "u2", resourceVersion: "6").utf8))
        let last = try PodListPage.parse(Array(#"{"metadata":{"resourceVersion":"78","continue":""},"items":null}"#.utf8))
        #expect(last.continueToken == nil)
        #expect(last.items.isEmpty)
    }

    /// A listed pod carries the index a watch event would give it (so its next version, from
    /// the watch, has the same size), and a malformed list still reports what is wrong.
    @Test func listedPodsCarryTheIndexAWatchEventGivesThem() throws {
        let pods = [PodGenerator().bytes(1), PodGenerator().bytes(2)]
        let body = Array(#"{"kind":"PodList","metadata":{"resourceVersion":"9"},"items":["#.utf8) + pods[0] + [UInt8(ascii: ",")] + pods[1] + Array("]}".utf8)
        let page = try PodListPage.parse(body)
        for (item, json) in zip(page.items, pods) {
            #expect(Array(item.json) == json)
            #expect(!item.index.isEmpty)
            #expect(item.index == PlainContainerIndex.of(json, shortestIndexed: JSONContainerScanner.informerShortestIndexed))
            var framer = JSONObjectFramer()
            let frames = try framer.append(Array(#"{"type":"MODIFIED","object":"#.utf8) + json + Array("}\n".utf8))
            guard case .modified(let watched) = try WatchEvent.parse(#require(frames.first)) else {
                Issue.record("not a MODIFIED event")
                continue
            }
            #expect(watched.index == item.index)
            #expect(watched.json.storedByteCount == item.json.storedByteCount)
        }
        let error = #expect(throws: JSONScanError.self) { try PodListPage.parse(Array(body.dropLast(2))) }
        #expect(error != nil)
    }

    @Test func objectsAndListsWithoutVersionsOrUIDsParse() throws {  // as some API emulators send them
        let event = try WatchEvent.parse(Array(#"{"type":"ADDED","object":{"metadata":{"name":"x","namespace":"n"}}}"#.utf8))
        guard case .added(let pod) = event else { Issue.record("not an ADDED: \(event)"); return }
        #expect(pod.key == PodKey(namespace: "n", name: "x") && pod.resourceVersion.isEmpty && pod.uid.isEmpty && !pod.isVersioned)
        let list = try PodListPage.parse(Array(#"{"kind":"PodList","items":[{"metadata":{"name":"x"}}]}"#.utf8))
        #expect(list.resourceVersion.isEmpty && list.items.map(\.key.name) == ["x"])
        let error = #expect(throws: JSONScanError.self) { try PodListPage.parse(Array(#"{"kind":"Status"}"#.utf8)) }
        #expect(error?.message == "not a pod list: neither metadata nor items")
    }

    @Test func statusBodiesParse() {
        let body = #"{"kind":"Status","status":"Failure","message":"pods \"x\" not found","reason":"NotFound","code":404}"#
        #expect(APIStatus.parse(Array(body.utf8)) == APIStatus(code: 404, reason: "NotFound", message: "pods \"x\" not found"))
        #expect(APIStatus.parse(Array("<html>".utf8)) == nil)
    }
}

@Suite struct JSONObjectFramerTests {
    let events = (1...5).map { eventJSON("MODIFIED", podJSON("p\($0)", resourceVersion: "\($0)")) }

    @Test(arguments: [1, 2, 3, 7, 64, 100_000])
    func eventsSurviveAnyChunking(chunkSize: Int) throws {
        let stream = Array(events.joined(separator: "\n").utf8) + [0x0A]
        var framer = JSONObjectFramer()
        var frames: [JSONFrame] = []
        for start in stride(from: 0, to: stream.count, by: chunkSize) {
            frames += try framer.append(stream[start..<min(start + chunkSize, stream.count)])
        }
        #expect(frames.map { String(decoding: $0.bytes, as: UTF8.self) } == events)
        #expect(!framer.hasPartialObject)
        var oneChunk = JSONObjectFramer()
        #expect(try oneChunk.append(stream) == frames)
    }

    @Test(arguments: [1, 5, 4096])
    func everyContainerIsIndexedWithItsEnd(chunkSize: Int) throws {
        let text = #"{"a":{"b":[1,{"c":"]}\\"},[]]},"d":"{[\"","e":[[],[{}]]}"# + "\n" + #"{"x":{}}"#
        let bytes = Array(text.utf8)
        var framer = JSONObjectFramer(shortestIndexed: 0)
        var frames: [JSONFrame] = []
        for start in stride(from: 0, to: bytes.count, by: chunkSize) {
            frames += try framer.append(bytes[start..<min(start + chunkSize, bytes.count)])
        }
        #expect(frames.count == 2)
        for frame in frames {
            // Every container a plain bracket count finds ends where a cursor skip ends.
            let plain = PlainContainerIndex.of(frame.bytes)
            #expect(frame.index == plain)
            try frame.bytes.withUnsafeBufferPointer { buffer in
                for slot in stride(from: 0, to: plain.pairs.count, by: 2) {
                    var cursor = JSONCursor(buffer, at: Int(plain.pairs[slot]))
                    let skipped = try cursor.skipValue()
                    #expect(frame.index.end(ofContainerAt: Int(plain.pairs[slot])) == skipped.upperBound)
                }
            }
        }
    }

    /// Strings full of brackets, escaped quotes and backslash runs, cut at every kind of chunk
    /// boundary, must not confuse the framer's word-at-a-time string scanning.
    @Test(arguments: [1, 7, 63, 64, 65, 1000, 1 << 20])
    func blockScanningAgreesWithAPlainBracketCount(chunkSize: Int) throws {
        var random = SeededRandom(seed: UInt64(chunkSize))
        let documents = (0..<40).map { _ in RandomJSON.object(depth: 0, random: &random) }
        let stream = Array(documents.joined(separator: "\n").utf8)
        // Every container indexed, then only those of 64 bytes or more (the framer's default).
        for shortest in [0, 64] {
            var framer = JSONObjectFramer(shortestIndexed: shortest)
            var frames: [JSONFrame] = []
            for start in stride(from: 0, to: stream.count, by: chunkSize) {
                frames += try framer.append(stream[start..<min(start + chunkSize, stream.count)])
            }
            #expect(frames.map { String(decoding: $0.bytes, as: UTF8.self) } == documents)
            for frame in frames {
                #expect(frame.index == PlainContainerIndex.of(frame.bytes, shortestIndexed: shortest))
            }
        }
        #expect(JSONObjectFramer().shortestIndexed == 64)
    }

    @Test func aFramedPodCarriesTheIndexOfItsOwnBytes() throws {
        var framer = JSONObjectFramer()
        let frames = try framer.append(Array((events[2] + "\n").utf8))
        guard case .modified(let pod) = try WatchEvent.parse(#require(frames.first)) else {
            Issue.record("not a MODIFIED event")
            return
        }
        #expect(!pod.index.isEmpty)
        #expect(pod.index.end(ofContainerAt: 0) == pod.json.count)
        try pod.json.withUnsafeBufferPointer { buffer in
            for slot in stride(from: 0, to: pod.index.pairs.count, by: 2) {
                var cursor = JSONCursor(buffer, at: Int(pod.index.pairs[slot]))
                let skipped = try cursor.skipValue()
                #expect(skipped.upperBound == Int(pod.index.pairs[slot + 1]))
            }
        }
    }

    @Test func braceCharactersInsideStringsDoNotEndAnObject() throws {
        let tricky = #"{"type":"MODIFIED","object":{"metadata":{"name":"}{\"]","resourceVersion":"1"}}}"#
        var framer = JSONObjectFramer()
        #expect(try framer.append(Array(tricky.utf8)).count == 1)
    }

    @Test func indentedConcatenatedObjectsAsKubectlPrintsThem() throws {
        let text = "{\n    \"type\": \"ADDED\",\n    \"object\": {}\n}\n{\n    \"type\": \"DELETED\",\n    \"object\": {}\n}\n"
        var framer = JSONObjectFramer()
        #expect(try framer.append(Array(text.utf8)).count == 2)
    }

    @Test func aPartialEventAtTheEndIsHeldBackNotDelivered() throws {
        let stream = Array((events[0] + "\n" + events[1]).utf8)
        var framer = JSONObjectFramer()
        let frames = try framer.append(stream.dropLast(10))
        #expect(frames.count == 1)
        #expect(framer.hasPartialObject)
    }

    /// The framer checks every string under the shared escape policy, whatever the chunking:
    /// an escape cut by a chunk boundary waits for its end; a bad one anywhere in an event is
    /// a framing error at its backslash.
    @Test(arguments: [1, 2, 3, 5, 11, 4096])
    func everyEscapeIsCheckedWhateverTheChunking(chunkSize: Int) throws {
        func frame(_ text: String) throws(FramingError) -> [JSONFrame] {
            let bytes = Array(text.utf8)
            var framer = JSONObjectFramer()
            var frames: [JSONFrame] = []
            for start in stride(from: 0, to: bytes.count, by: chunkSize) {
                frames += try framer.append(bytes[start..<min(start + chunkSize, bytes.count)])
            }
            return frames
        }
        let good = #"{"a":{"b":["\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t"]}}"#
        #expect(try frame(good + "\n").map { Array($0.bytes) } == [Array(good.utf8)])
        for bad in [#"\q"#, #"\ud800x"#, #"\udc00"#, #"\ud800\u0041"#, #"\u12G4"#, "\u{01}"] {
            let text = #"{"a":{"b":["ok","x\#(bad)y"]}}"# + "\n"
            let error = #expect(throws: FramingError.self) { try frame(text) }
            #expect(error?.offset == Array(text.utf8).firstIndex(of: UInt8(ascii: "x"))! + 1, "\(bad)")
        }
    }

    @Test func garbageBetweenEventsIsAFramingError() {
        var framer = JSONObjectFramer()
        #expect(throws: FramingError.self) { try framer.append(Array("not json\n".utf8)) }
    }

    @Test func anOversizedEventIsAFramingError() {
        var framer = JSONObjectFramer(maximumObjectSize: 100)
        #expect(throws: FramingError.self) { try framer.append(Array(("{\"a\":\"" + String(repeating: "x", count: 200)).utf8)) }
    }
}

/// Valid JSON full of what trips structure scanners.
enum RandomJSON {
    static let pieces = ["a", "b", "{", "}", "[", "]", ":", ",", " ", "\\\"", "\\\\", "\\n", "é", "\\u00e9", "\\\\\\\"", "\\ud83d\\ude00"]

    static func string(random: inout SeededRandom) -> String {
        "\"" + (0..<random.int(below: 40)).map { _ in pieces[random.int(below: pieces.count)] }.joined() + "\""
    }

    static func value(depth: Int, random: inout SeededRandom) -> String {
        switch depth > 4 ? random.int(below: 3) : random.int(below: 6) {
        case 0: return string(random: &random)
        case 1: return String(random.int(below: 100_000))
        case 2: return ["true", "false", "null"][random.int(below: 3)]
        case 3: return "[" + (0..<random.int(below: 6)).map { _ in value(depth: depth + 1, random: &random) }.joined(separator: ",") + "]"
        default: return object(depth: depth + 1, random: &random)
        }
    }

    static func object(depth: Int, random: inout SeededRandom) -> String {
        "{" + (0..<random.int(below: 8) + (depth == 0 ? 4 : 0)).map { _ in
            string(random: &random) + ":" + value(depth: depth + 1, random: &random)
        }.joined(separator: ",") + "}"
    }
}
