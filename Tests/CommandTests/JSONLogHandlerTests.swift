import Foundation
import Logging
import Testing
@testable import kubelua

/// `--log-format json`: values logged as numbers and booleans are JSON numbers and booleans,
/// whatever their Swift type; text stays text, even when it reads as a number.
struct JSONLogHandlerTests {
    private func record(_ metadata: Logger.Metadata, handler: Logger.Metadata = [:]) throws -> [String: Any] {
        let event = LogEvent(level: .warning, message: "kube write failed", metadata: metadata, source: nil, file: #fileID,
                             function: #function, line: #line)
        let line = try #require(JSONLogHandler(label: "kubelua", metadata: handler).line(for: event))
        #expect(line.last == 0x0A)
        return try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
    }

    @Test func numbersAndBooleansStayNumbersAndBooleans() throws {
        let object = try record([
            "code": .stringConvertible(409), "dry_run": .stringConvertible(false), "ratio": .stringConvertible(0.25),
            "small": .stringConvertible(Int8(-3)), "half": .stringConvertible(Float(0.5)),
        ])
        #expect(object["code"] as? Int == 409 && !(object["code"] is String))
        #expect(object["dry_run"] as? Bool == false && !(object["dry_run"] is String))
        #expect(object["ratio"] as? Double == 0.25)
        #expect(object["small"] as? Int == -3)
        #expect(object["half"] as? Double == 0.5)
    }

    @Test func textThatReadsAsANumberStaysText() throws {
        let object = try record(["code": "200", "query": "namespace default"])
        #expect(object["code"] as? String == "200")
        #expect(object["query"] as? String == "namespace default")
    }

    /// Clamping would log 2^64-1 as 2^63-1; NaN has no JSON form and must not cost the line.
    @Test func valuesAtTheEdgesAreKeptExactlyOrAsText() throws {
        let object = try record(["bytes": .stringConvertible(UInt64.max), "rate": .stringConvertible(Double.nan),
                                 "limit": .stringConvertible(Double.infinity)])
        #expect((object["bytes"] as? NSNumber)?.uint64Value == UInt64.max)
        #expect(object["rate"] as? String == "nan")
        #expect(object["limit"] as? String == "inf")
    }

    @Test func nestedValuesAndHandlerMetadataAreConvertedToo() throws {
        let object = try record(["retries": .array([.stringConvertible(1), "two"]), "limits": .dictionary(["memory": .stringConvertible(64)])],
                                handler: ["replica": .stringConvertible(2), "message": "not the message"])
        #expect(object["retries"] as? [Any] != nil)
        #expect((object["retries"] as? [Any])?.first as? Int == 1)
        #expect((object["retries"] as? [Any])?.last as? String == "two")
        #expect((object["limits"] as? [String: Any])?["memory"] as? Int == 64)
        #expect(object["replica"] as? Int == 2)
        #expect(object["message"] as? String == "kube write failed")
    }
}
