import Foundation

/// A whole response as `WireClient.request` read it.
public struct WireResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8] = []
    /// The chunks of a chunked body, exactly as framed on the wire.
    public var chunks: [[UInt8]] = []
    public var end: WireEnd = .complete

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object (empty when it is not one).
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:]
    }

    /// The body's lines (watch events), decoded.
    public var lines: [WatchLine] {
        body.split(separator: 10, omittingEmptySubsequences: true).map { WatchLine(Array($0)) }
    }
}
