import AsyncHTTPClient
import Lua
import NIOCore
import NIOHTTP1

/// Runs the requests hooks make with `http`, under a policy, on a client shared by the runtime.
///
/// How a request reaches only a checked address: the host is resolved first (an address in
/// the URL is taken as is) and every address checked against the policy. For `http`, the
/// request is then sent to the checked address itself (the URL's host replaced by it, the
/// name kept in the `Host` header), so a second DNS answer can never redirect it; the client
/// is shared, so its `dnsOverride` (fixed at creation, client-wide) could not pin each
/// request. For `https` the certificate must be verified against the name, and the client
/// has no per-request way to send one name over a connection to another address, so it
/// connects by name and resolves again: a rebinding answer in between could make it open a
/// TCP connection to an unchecked address, but no request is sent there unless that address
/// completes a TLS handshake with a trusted certificate for the name.
///
/// Redirects are never followed: the client must be created with
/// `HTTPClient.Configuration.hookHelper` (the helper answers a 3xx as it is).
public struct HTTPHelper: Sendable {
    public let policy: HTTPHelperPolicy
    let client: HTTPClient?
    let resolver: HTTPHostResolver
    /// `kubelua test`: requests are printed and answered from stubs, never sent.
    let stubs: (answers: HTTPStubs, print: @Sendable (String) -> Void)?

    /// `client` may be nil only when the policy is disabled.
    public init(policy: HTTPHelperPolicy, client: HTTPClient?, resolver: HTTPHostResolver = .system) {
        precondition(client != nil || policy.isDisabled, "the http helper needs a client unless its policy is disabled")
        self.policy = policy
        self.client = client
        self.resolver = resolver
        stubs = nil
    }

    /// The helper of `kubelua test`: each request prints its line with `print` and gets the
    /// answer `stubs` holds for it; nothing is sent.
    public init(stubs: HTTPStubs, print: @escaping @Sendable (String) -> Void) {
        policy = HTTPHelperPolicy()
        client = nil
        resolver = .system
        self.stubs = (stubs, print)
    }

    /// A response, or why there is none: the values `http.*` returns. `hook` names the caller
    /// in the lines stubbed requests print.
    func perform(_ request: HTTPHelperRequest, secondsLeft: Double?, hook: String) async -> LuaAsyncResult {
        if let stubs { return .values([stubs.answers.answer(request, hook: hook, print: stubs.print).luaValue]) }
        do {
            let response = try await exchange(request, secondsLeft: secondsLeft)
            return .values([response.luaValue])
        } catch let failure as HTTPHelperFailure {
            return .values([.nil, .string(failure.description)])
        } catch {
            return .values([.nil, .string("http request failed: \(error)")])
        }
    }

    private func exchange(_ request: HTTPHelperRequest, secondsLeft: Double?) async throws -> HTTPHelperResponse {
        if let message = policy.disabledMessage { throw HTTPHelperFailure(message) }
        let target: HTTPTarget
        do {
            target = try HTTPTarget(parsing: request.url)
        } catch {
            throw HTTPHelperFailure(error.description)
        }
        if let body = request.body, body.count > policy.maximumRequestBytes {
            throw HTTPHelperFailure("request body larger than \(policy.maximumRequestBytes) bytes")
        }
        if let refusal = policy.refusal(host: target.host, port: target.port) { throw HTTPHelperFailure(refusal) }

        let timeout = timeout(for: request, secondsLeft: secondsLeft)
        do {
            return try await attempt(request, target, timeout: timeout)
        } catch let failure as HTTPHelperFailure {
            throw failure
        } catch {
            throw HTTPHelperFailure(Self.describe(error, request: request, target: target, timeout: timeout))
        }
    }

    /// Resolves, checks and sends, all within `timeout`.
    private func attempt(_ request: HTTPHelperRequest, _ target: HTTPTarget, timeout: Double) async throws -> HTTPHelperResponse {
        try await Self.within(seconds: timeout) {
            let addresses = try await resolve(target)
            if let refusal = policy.refusal(addresses: addresses, host: target.host, port: target.port) { throw HTTPHelperFailure(refusal) }
            // http goes to each checked address in turn (the next only when connecting failed);
            // https connects by name (see the type's comment).
            let candidates: [IPAddress?] = target.scheme == "http" ? addresses : [nil]
            var lastError: any Error = HTTPHelperFailure("\(target.host) did not resolve to any address")
            for candidate in candidates {
                do {
                    return try await send(request, to: target, via: candidate, timeout: timeout)
                } catch where Self.isConnectFailure(error) {
                    lastError = error
                }
            }
            throw lastError
        }
    }

    /// The script's timeout (or the default), cut to the policy's maximum. When the handler's
    /// deadline comes first, the bridge cancels the request at that deadline (and reports a
    /// deadline kill); the request's own limit is then set a little later as a backstop, so the
    /// two do not race to report different outcomes.
    func timeout(for request: HTTPHelperRequest, secondsLeft: Double?) -> Double {
        let maximum = Self.seconds(policy.maximumTimeout)
        var timeout = min(request.timeout ?? Self.seconds(policy.defaultTimeout), maximum)
        if let secondsLeft, secondsLeft < timeout { timeout = secondsLeft + 1 }
        return timeout
    }

    private func resolve(_ target: HTTPTarget) async throws -> [IPAddress] {
        if let address = IPAddress(target.host) { return [address] }
        do {
            return try await resolver.resolve(target.host)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw HTTPHelperFailure("\(error)")
        }
    }

    private func send(_ request: HTTPHelperRequest, to target: HTTPTarget, via address: IPAddress?, timeout: Double) async throws -> HTTPHelperResponse {
        guard let client else { throw HTTPHelperFailure("http has no client") }
        var outgoing = HTTPClientRequest(url: target.url(connectingTo: address))
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers where !HTTPHelperRequest.ownedHeaders.contains(header.name.lowercased()) {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        outgoing.headers.replaceOrAdd(name: "Host", value: target.hostHeader)
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }

        let response = try await client.execute(outgoing, timeout: .nanoseconds(Int64(timeout * 1e9)))
        guard response.history.count <= 1 else {
            throw HTTPHelperFailure("the http client followed a redirect; create it with HTTPClient.Configuration.hookHelper")
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: policy.maximumResponseBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPHelperFailure("response larger than \(policy.maximumResponseBytes) bytes")
        }
        return HTTPHelperResponse(status: Int(response.status.code), headers: response.headers, body: Array(buffer: body))
    }
}
