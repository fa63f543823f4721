import AsyncHTTPClient
import Hooks
import Lua
import NIOPosix
import NIOSSL
import Synchronization

/// A local server, a client configured for the helper, and a way to run hooks against them.
struct HTTPHelperFixture {
    let server: LocalHTTPServer
    let client: HTTPClient

    /// `trap` makes the client send everything through the local server as an HTTP proxy: in
    /// tests about refused addresses, a request wrongly let through still stays on loopback
    /// (and shows up in `server.requests`).
    /// With `certificates`, the server speaks HTTPS and the client trusts their CA.
    init(trap: Bool = false, certificates: LocalCertificates? = nil) async throws {
        server = try await LocalHTTPServer(tls: certificates?.server)
        var configuration = HTTPClient.Configuration.hookHelper
        if trap { configuration.proxy = .server(host: "127.0.0.1", port: server.port) }
        if let certificates {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates([certificates.ca])
            configuration.tlsConfiguration = tls
        }
        client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    /// Allows the local server only, as `--http-allow 127.0.0.1:PORT` does: loopback is
    /// refused unless an entry names it.
    var policy: HTTPHelperPolicy {
        try! HTTPHelperPolicy(allowing: ["127.0.0.1:\(server.port)"])
    }

    /// A helper under `policy` (by default the one above).
    func helper(_ policy: HTTPHelperPolicy? = nil, resolver: HTTPHostResolver = .system) -> HTTPHelper {
        HTTPHelper(policy: policy ?? self.policy, client: client, resolver: resolver)
    }

    func shutdown() async throws {
        try await client.shutdown()
        try await server.shutdown()
    }
}

/// A resolver that knows a few names and records which it was asked about.
final class FakeResolver: Sendable {
    private let names: [String: [IPAddress]]
    private let asked = Mutex<[String]>([])

    init(_ names: [String: String]) {
        self.names = names.mapValues { [IPAddress($0)!] }
    }

    var lookups: [String] { asked.withLock { $0 } }

    var resolver: HTTPHostResolver {
        HTTPHostResolver { host in
            self.asked.withLock { $0.append(host) }
            guard let addresses = self.names[host] else { throw LookupFailure() }
            return addresses
        }
    }

    struct LookupFailure: Error, CustomStringConvertible {
        var description: String { "unknown host" }
    }
}

/// Runs `on_add` of a hook `default/h.lua` (`source`) for one pod and returns what it printed
/// and how it failed. The handler may take 30 s: several requests on a loaded machine can take
/// longer than the default 2 s, and no test here is about the deadline unless it sets one.
func runHook(
    _ source: String, helper: HTTPHelper, sandbox: LuaSandbox = LuaSandbox(limits: LuaSandboxLimits(timePerCall: .seconds(30)))
) async throws -> (lines: [String], failures: [HookFailure]) {
    let folder = try HooksFolder(["default/h.lua": source])
    let output = HookOutput()
    let runtime = HookRuntime(root: folder.root, environment: output.environment(sandbox: sandbox, modules: { _ in [.http(helper)] }))
    try await runtime.loadAll()
    runtime.dispatch(events([.added(pod("p", rv: 1))]))
    await runtime.waitUntilIdle()
    return (output.texts, output.failures)
}

/// Lua that prints `nil, err` or the response's status and body.
func show(_ call: String) -> String {
    "local r, err = \(call) if r then print(r.status .. ' ' .. r.body) else print('nil ' .. tostring(err)) end"
}
