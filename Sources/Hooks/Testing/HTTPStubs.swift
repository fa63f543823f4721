import Foundation
import NIOHTTP1
import Synchronization

/// The `http` of `kubelua test`: no request is sent. Each prints one line
/// (`HTTP POST <url> <body> (hook <path>)`, a JSON body with its keys sorted) and is answered
/// from a case's `http-stubs.txt`, else with an empty 200.
///
/// The file holds one stub per line, `METHOD URL STATUS [BODY]`; `#` starts a comment line:
///
/// ```
/// POST https://hooks.slack.com/services/T0/B0/X 503 busy
/// POST https://hooks.slack.com/services/T0/B0/X 200 ok
/// GET  https://owners.example.com/teams/* 200 {"team": "payments"}
/// ```
///
/// A URL ending in `*` matches every URL it starts. Requests take the first stub that matches;
/// several lines for the same method and URL answer in turn, the last one repeating, so a case
/// can test a retry after a failure.
public final class HTTPStubs: Sendable {
    struct Stub: Equatable {
        var method: String
        var url: String
        var status: Int
        var body: String
    }

    let stubs: [Stub]
    /// How many requests each stub group (method and URL) has answered.
    private let answered = Mutex<[String: Int]>([:])

    init(stubs: [Stub]) {
        self.stubs = stubs
    }

    /// No stubs: every request gets an empty 200.
    public convenience init() { self.init(stubs: []) }

    /// Reads a stubs file; errors name the file, the line and what is wrong.
    public convenience init(file: String, text: String) throws(HookTestError) {
        var stubs: [Stub] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let at = "\(file):\(index + 1)"
            let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
            guard words.count >= 3 else {
                throw HookTestError("\(at): expected METHOD URL STATUS [BODY], such as `POST https://example.com/hook 200 ok`; got `\(line)`")
            }
            let method = String(words[0])
            guard HTTPHelperRequest.methods.contains(method) else {
                throw HookTestError("\(at): '\(method)' is not a method http sends (\(HTTPHelperRequest.methods.sorted().joined(separator: ", ")))")
            }
            let url = String(words[1])
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw HookTestError("\(at): '\(url)' is not an http:// or https:// URL")
            }
            guard let status = Int(words[2]), (100...599).contains(status) else {
                throw HookTestError("\(at): '\(words[2])' is not an HTTP status from 100 to 599")
            }
            stubs.append(Stub(method: method, url: url, status: status, body: words.count > 3 ? String(words[3]) : ""))
        }
        self.init(stubs: stubs)
    }

    /// The answer to a request, once its line is printed with `print`.
    func answer(_ request: HTTPHelperRequest, hook: String, print: (String) -> Void) -> HTTPHelperResponse {
        var line = "HTTP \(request.method) \(request.url)"
        if let body = request.body, !body.isEmpty {
            line += " " + JSONObjects.canonical(body).replacingOccurrences(of: "\n", with: "\\n")
        }
        print(line + " (hook \(hook))")
        guard let first = stubs.first(where: { $0.method == request.method && Self.matches($0.url, request.url) }) else {
            return HTTPHelperResponse(status: 200, headers: HTTPHeaders(), body: [])
        }
        let group = stubs.filter { $0.method == first.method && $0.url == first.url }
        let turn = answered.withLock { counts in
            defer { counts[first.method + " " + first.url, default: 0] += 1 }
            return counts[first.method + " " + first.url, default: 0]
        }
        let stub = group[min(turn, group.count - 1)]
        return HTTPHelperResponse(status: stub.status, headers: HTTPHeaders(), body: Array(stub.body.utf8))
    }

    private static func matches(_ pattern: String, _ url: String) -> Bool {
        pattern.hasSuffix("*") ? url.hasPrefix(pattern.dropLast()) : url == pattern
    }
}
