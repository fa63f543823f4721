import AsyncHTTPClient
import JSONBytes
import NIOCore

extension KubeClient {
    /// One page of pods, each narrowed to what `projection` keeps.
    public func listPods(
        _ query: PodQuery, _ list: ReflectorStateMachine.ListRequest, projection: JSONProjection = .everything
    ) async throws(KubeRequestFailure) -> PodListPage {
        var items = query.selectorItems
        if let limit = list.limit { items.append(("limit", String(limit))) }
        if let token = list.continueToken { items.append(("continue", token)) }
        if !list.resourceVersion.isEmpty { items.append(("resourceVersion", list.resourceVersion)) }
        let response = try await send(request(path: query.path, query: items), timeout: .seconds(120))
        // Parsed where NIO collected it: each pod is copied once, out of it, into its block.
        let body = try await collectBuffer(response.body)
        do {
            return try body.withUnsafeReadableBytes { (bytes) throws(JSONScanError) -> PodListPage in
                try PodListPage.parse(bytes.assumingMemoryBound(to: UInt8.self), projection: projection)
            }
        } catch {
            throw .malformed("pod list: \(error)")
        }
    }

    /// Opens a watch; the body streams events until the server's timeout, a reset, or silence
    /// longer than the idle timeout.
    public func watchPods(_ query: PodQuery, _ watch: ReflectorStateMachine.WatchRequest) async throws(KubeRequestFailure) -> HTTPClientResponse.Body {
        var items = query.selectorItems
        items += [
            ("watch", "true"), ("allowWatchBookmarks", "true"), ("timeoutSeconds", String(watch.timeoutSeconds)),
        ]
        if !watch.resourceVersion.isEmpty { items.append(("resourceVersion", watch.resourceVersion)) }
        let response = try await send(request(path: query.path, query: items), timeout: .seconds(Int64(watch.timeoutSeconds) + 60))
        return response.body
    }

    /// Sends with the current bearer token; an error status becomes `.status` with the server's
    /// Status body and `Retry-After`.
    func send(_ request: HTTPClientRequest, timeout: TimeAmount) async throws(KubeRequestFailure) -> HTTPClientResponse {
        var request = request
        if let credentials = connection.credentials {
            do {
                if let token = try await credentials.token() {
                    request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(token)")
                }
            } catch {
                throw .transport("credentials unavailable: \(error)")
            }
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout, logger: logger)
        } catch {
            throw .transport(KubeTransportError.describe(error, overTLS: isTLS))
        }
        guard (200..<300).contains(response.status.code) else {
            let body = (try? await collect(response.body, limit: 1 << 20)) ?? []
            var status = APIStatus.parse(body) ?? APIStatus(code: Int(response.status.code), reason: response.status.reasonPhrase)
            if status.code == 0 { status.code = Int(response.status.code) }
            if status.retryAfterSeconds == nil { status.retryAfterSeconds = response.headers.first(name: "Retry-After").flatMap(Int.init) }
            throw .status(status)
        }
        return response
    }

    private var isTLS: Bool { connection.server.scheme?.lowercased() == "https" }

    func collect(_ body: HTTPClientResponse.Body, limit: Int? = nil) async throws(KubeRequestFailure) -> [UInt8] {
        Array(try await collectBuffer(body, limit: limit).readableBytesView)
    }

    func collectBuffer(_ body: HTTPClientResponse.Body, limit: Int? = nil) async throws(KubeRequestFailure) -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit ?? maximumBodySize)
        } catch {
            throw .transport("reading the response: \(KubeTransportError.describe(error, overTLS: isTLS))")
        }
    }
}
