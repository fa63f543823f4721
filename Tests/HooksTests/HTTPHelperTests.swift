import AsyncHTTPClient
import Lua
import Testing

@testable import Hooks

/// The `http` helper from hook handlers, against a local server on 127.0.0.1.
@Suite(.timeLimit(.minutes(1))) struct HTTPHelperTests {
    @Test func getReturnsStatusHeadersAndBody() async throws {
        let fixture = try await HTTPHelperFixture()
        let result = try await runHook(
            """
            function on_add(pod)
              local r = http.get('\(fixture.server.url)/echo', {headers = {['X-Test'] = 'yes'}})
              print(r.status .. ' ' .. r.headers['content-type'] .. ' [' .. r.headers['x-reply'] .. '] ' .. r.body)
            end
            """, helper: fixture.helper())
        try await fixture.shutdown()
        #expect(result.failures.isEmpty)
        #expect(result.lines == ["200 text/plain [one, two] GET /echo host=127.0.0.1:\(fixture.server.port) type=- x-test=yes body="])
    }

    @Test func postAndRequestSendMethodHeadersAndBody() async throws {
        let fixture = try await HTTPHelperFixture()
        let url = fixture.server.url + "/echo"
        let result = try await runHook(
            """
            function on_add(pod)
              \(show("http.post('\(url)', '{\"a\":1}', {headers = {['Content-Type'] = 'application/json'}, timeout = 3})"))
              \(show("http.request{method = 'put', url = '\(url)', body = pod.metadata.name, headers = {['X-Test'] = 42}}"))
            end
            """, helper: fixture.helper())
        try await fixture.shutdown()
        #expect(result.failures.isEmpty)
        let host = "host=127.0.0.1:\(fixture.server.port)"
        #expect(result.lines == [
            "200 POST /echo \(host) type=application/json x-test=- body={\"a\":1}",
            "200 PUT /echo \(host) type=- x-test=42 body=p",
        ])
    }

    /// HTTPS connects by name and verifies the certificate against it; the name is still
    /// resolved and checked first.
    @Test func httpsVerifiesTheCertificateAgainstTheName() async throws {
        let fixture = try await HTTPHelperFixture(certificates: try LocalCertificates())
        let port = fixture.server.port
        let result = try await runHook(
            """
            function on_add(pod)
              \(show("http.get('https://localhost:\(port)/echo')"))
              \(show("http.get('https://127.0.0.1:\(port)/echo')"))
              local r, err = http.get('http://127.0.0.1:\(port)/echo') print(tostring(r) .. ' ' .. (err and 'failed' or ''))
            end
            """, helper: fixture.helper(try HTTPHelperPolicy(allowing: ["localhost:\(port)", "127.0.0.1:\(port)"])))
        try await fixture.shutdown()
        #expect(result.failures.isEmpty)
        #expect(result.lines == [
            "200 GET /echo host=localhost:\(port) type=- x-test=- body=",
            "200 GET /echo host=127.0.0.1:\(port) type=- x-test=- body=",
            "nil failed",
        ])
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        let fixture = try await HTTPHelperFixture()
        let result = try await runHook(
            "function on_add(pod) local r = http.get('\(fixture.server.url)/redirect') print(r.status .. ' ' .. r.headers.location) end",
            helper: fixture.helper())
        try await fixture.shutdown()
        #expect(result.lines == ["302 \(fixture.server.url)/echo"])
        #expect(fixture.server.requests.map(\.uri) == ["/redirect"])
    }

    @Test func theAllowListAllowsItsHostsAndRefusesOthers() async throws {
        let fixture = try await HTTPHelperFixture()
        let port = fixture.server.port
        let names = FakeResolver(["api.test": "127.0.0.1", "a.svc.test": "127.0.0.1", "svc.test": "127.0.0.1"])
        let policy = try HTTPHelperPolicy(allowing: ["127.0.0.1", "api.test:\(port)", "*.svc.test"])
        let result = try await runHook(
            """
            function on_add(pod)
              for _, host in ipairs{'127.0.0.1:\(port)', 'api.test:\(port)', 'a.svc.test:\(port)', 'svc.test:\(port)', 'localhost:\(port)'} do
                \(show("http.get('http://' .. host .. '/echo')"))
              end
            end
            """, helper: fixture.helper(policy, resolver: names.resolver))
        // Only the host in the list; an entry with another port does not match.
        let narrow = try await runHook(
            "function on_add(pod) \(show("http.get('\(fixture.server.url)/echo')")) end",
            helper: fixture.helper(try HTTPHelperPolicy(allowing: ["127.0.0.1:1", "other.test"])))
        try await fixture.shutdown()
        #expect(result.lines == [
            "200 GET /echo host=127.0.0.1:\(port) type=- x-test=- body=",
            "200 GET /echo host=api.test:\(port) type=- x-test=- body=",
            "200 GET /echo host=a.svc.test:\(port) type=- x-test=- body=",
            "nil svc.test:\(port) is not in the http allow-list",
            "nil localhost:\(port) is not in the http allow-list",
        ])
        #expect(narrow.lines == ["nil 127.0.0.1:\(port) is not in the http allow-list"])
        #expect(fixture.server.requests.count == 3)
        #expect(names.lookups == ["api.test", "a.svc.test"])
    }

    /// kubelua's own ports are on loopback: without an entry naming it, a hook cannot reach a
    /// server there, by address, by `localhost`, through IPv6 wrappings, or by a name that
    /// resolves to it; an entry naming the address and port lets exactly that through.
    @Test func loopbackIsRefusedUnlessAnEntryNamesIt() async throws {
        let fixture = try await HTTPHelperFixture()
        let port = fixture.server.port
        let names = FakeResolver(["loop.test": "127.0.0.1"])
        let hosts = ["127.0.0.1", "127.1.2.3", "localhost", "app.localhost", "[::1]", "[::ffff:127.0.0.1]", "[::127.0.0.1]", "0.0.0.0", "loop.test"]
        let script = """
            function on_add(pod)
              for _, host in ipairs{\(hosts.map { "'\($0)'" }.joined(separator: ", "))} do
                \(show("http.get('http://' .. host .. ':\(port)/echo')"))
              end
            end
            """
        let refused = try await runHook(script, helper: fixture.helper(HTTPHelperPolicy(), resolver: names.resolver))
        let allowed = try await runHook(
            "function on_add(pod) \(show("http.get('\(fixture.server.url)/echo')")) end",
            helper: fixture.helper(try HTTPHelperPolicy(allowing: ["127.0.0.1:\(port)"])))
        try await fixture.shutdown()
        #expect(refused.lines == [
            "nil 127.0.0.1:\(port) is a loopback address (refused unless an --http-allow entry names it)",
            "nil 127.1.2.3:\(port) is a loopback address (refused unless an --http-allow entry names it)",
            "nil localhost:\(port) is a loopback address (refused unless an --http-allow entry names it)",
            "nil app.localhost:\(port) is a loopback address (refused unless an --http-allow entry names it)",
            "nil [::1]:\(port) is a loopback address (refused unless an --http-allow entry names it)",
            "nil [::ffff:127.0.0.1]:\(port) is a loopback address (refused unless an --http-allow entry names it)",
            "nil [::127.0.0.1]:\(port) is a loopback address (refused unless an --http-allow entry names it)",
            "nil 0.0.0.0:\(port) is a loopback address (refused unless an --http-allow entry names it)",
            "nil loop.test resolves to 127.0.0.1, a loopback address (refused unless an --http-allow entry names it)",
        ])
        #expect(allowed.lines == ["200 GET /echo host=127.0.0.1:\(port) type=- x-test=- body="])
        #expect(fixture.server.requests.count == 1)
    }

    /// The client of this test sends everything through the local server as a proxy, so even a
    /// request wrongly let through would stay on this machine; none must reach it.
    @Test func metadataAndLinkLocalAddressesAreRefusedBeforeConnecting() async throws {
        let fixture = try await HTTPHelperFixture(trap: true)
        let names = FakeResolver(["rebind.test": "169.254.169.254", "v6.test": "fe80::1", "loop.test": "127.0.0.1"])
        let helpers = [
            fixture.helper(HTTPHelperPolicy(), resolver: names.resolver),
            fixture.helper(try HTTPHelperPolicy(allowing: ["*.test"]), resolver: names.resolver),
        ]
        var lines: [[String]] = []
        for helper in helpers {
            let result = try await runHook(
                """
                function on_add(pod)
                  for _, url in ipairs{'http://169.254.169.254/latest/meta-data/', 'https://169.254.169.254/', 'http://[fd00:ec2::254]/',
                      'http://100.100.100.200/', 'http://metadata.google.internal/', 'http://[::ffff:169.254.169.254]/',
                      'http://169.254.1.2:8080/', 'http://168.63.129.16/', 'http://[fd20:ce::254]/', 'http://[::169.254.169.254]/',
                      'http://[64:ff9b::a9fe:a9fe]/', 'http://[64:ff9b:1::a00:1]/', 'http://127.0.0.1:\(fixture.server.port)/',
                      'http://localhost:\(fixture.server.port)/', 'http://[::1]/', 'http://0.0.0.0:\(fixture.server.port)/',
                      'http://[::ffff:127.0.0.1]/', 'http://[::127.0.0.1]/',
                      'http://rebind.test/', 'http://v6.test/', 'http://loop.test/'} do
                    local r, err = http.get(url)
                    print(tostring(r) .. ' ' .. (err:find('refused unless an %-%-http%-allow entry names it') and 'refused' or err))
                  end
                end
                """, helper: helper)
            lines.append(result.lines)
        }
        try await fixture.shutdown()
        let refused = Array(repeating: "nil refused", count: 21)
        // With `*.test` allowed, only the three names get through the allow-list; the others stop there.
        #expect(lines[0] == refused)
        #expect(lines[1].suffix(3) == ["nil refused", "nil refused", "nil refused"])
        #expect(lines[1].count == 21 && lines[1].prefix(18).allSatisfy { $0.hasSuffix("is not in the http allow-list") })
        #expect(fixture.server.requests.isEmpty)
        #expect(names.lookups == ["rebind.test", "v6.test", "loop.test", "rebind.test", "v6.test", "loop.test"])
    }

    /// The safety net of the test above works: a request that is let through asks the local
    /// server to tunnel it (`CONNECT`, refused here) instead of going to its address (another
    /// loopback address, where nothing listens).
    @Test func theTrapKeepsAllowedRequestsOnTheLocalServer() async throws {
        let fixture = try await HTTPHelperFixture(trap: true)
        let result = try await runHook(
            "function on_add(pod) \(show("http.get('http://127.0.0.2:1/echo')")) end",
            helper: fixture.helper(try HTTPHelperPolicy(allowing: ["127.0.0.2:1"])))
        try await fixture.shutdown()
        #expect(result.lines.count == 1 && result.lines[0].hasPrefix("nil GET 127.0.0.2:1 failed"))
        #expect(fixture.server.requests.map { "\($0.method) \($0.uri)" } == ["CONNECT 127.0.0.2:1"])
    }

    @Test func aTimeoutAnswersNilAndErrAndCancelsTheRequest() async throws {
        let fixture = try await HTTPHelperFixture()
        let result = try await runHook(
            "function on_add(pod) \(show("http.get('\(fixture.server.url)/hold/t', {timeout = 0.2})")) end",
            helper: fixture.helper())
        #expect(await fixture.server.wait(for: .closed("t")))
        try await fixture.shutdown()
        #expect(result.failures.isEmpty)
        #expect(result.lines == ["nil GET 127.0.0.1:\(fixture.server.port) timed out after 0.2 s"])
    }

    @Test func aHandlerDeadlineShorterThanTheTimeoutKillsTheCallAndCancelsTheRequest() async throws {
        let fixture = try await HTTPHelperFixture()
        let sandbox = LuaSandbox(limits: LuaSandboxLimits(timePerCall: .milliseconds(300)))
        let result = try await runHook(
            "function on_add(pod) \(show("http.get('\(fixture.server.url)/hold/d', {timeout = 10})")) end",
            helper: fixture.helper(), sandbox: sandbox)
        // The server sees the client drop the connection: the request did not outlive the call.
        #expect(await fixture.server.wait(for: .closed("d")))
        try await fixture.shutdown()
        #expect(result.lines.isEmpty)
        #expect(result.failures.map(\.error.kind) == [.deadline])
    }

    /// Cancelling the wait (what the bridge does at a handler's deadline) aborts the request at
    /// once: with a ten-minute timeout, nothing else would close the connection within the
    /// test's time limit.
    @Test func cancellingTheWaitClosesTheConnection() async throws {
        let fixture = try await HTTPHelperFixture()
        var policy = fixture.policy
        policy.maximumTimeout = .seconds(600)
        let helper = fixture.helper(policy)
        let request = HTTPHelperRequest(method: "GET", url: fixture.server.url + "/hold/c", headers: [], body: nil, timeout: 600)
        let wait = Task { await helper.perform(request, secondsLeft: nil, hook: "default/x.lua") }
        #expect(await fixture.server.wait(for: .held("c")))
        wait.cancel()
        let closed = await fixture.server.wait(for: .closed("c"))
        let outcome = await wait.value
        try await fixture.shutdown()
        #expect(closed, "the server saw the client drop the held connection")
        guard case .values(let values) = outcome else {
            Issue.record("expected nil, err; got \(outcome)")
            return
        }
        #expect(values.count == 2 && values.first == .nil)
    }

    @Test func responsesOverTheSizeCapAreRefused() async throws {
        let fixture = try await HTTPHelperFixture()
        var policy = fixture.policy
        policy.maximumResponseBytes = 1000
        policy.maximumRequestBytes = 10
        let url = fixture.server.url
        let result = try await runHook(
            """
            function on_add(pod)
              local r = http.get('\(url)/bytes/1000') print(r.status .. ' ' .. #r.body)
              \(show("http.get('\(url)/bytes/5000')"))
              \(show("http.post('\(url)/echo', ('y'):rep(11))"))
            end
            """, helper: fixture.helper(policy))
        try await fixture.shutdown()
        #expect(result.lines == ["200 1000", "nil response larger than 1000 bytes", "nil request body larger than 10 bytes"])
        #expect(fixture.server.requests.map(\.uri) == ["/bytes/1000", "/bytes/5000"])
    }

    @Test func connectionAndURLFailuresAnswerNilAndErr() async throws {
        let fixture = try await HTTPHelperFixture()
        let closed = try await LocalHTTPServer()
        let closedPort = closed.port
        try await closed.shutdown()
        let result = try await runHook(
            """
            function on_add(pod)
              \(show("http.get('http://127.0.0.1:\(closedPort)/')"))
              \(show("http.get('ftp://example.com/')"))
              \(show("http.get('not a url')"))
              \(show("http.get('http://user:secret@127.0.0.1/')"))
            end
            """, helper: fixture.helper(try HTTPHelperPolicy(allowing: ["127.0.0.1"])))
        try await fixture.shutdown()
        #expect(result.failures.isEmpty)
        #expect(result.lines == [
            "nil cannot connect to 127.0.0.1:\(closedPort): connection refused",
            "nil unsupported url scheme 'ftp' (only http and https)",
            "nil invalid url",
            "nil credentials in the url are not supported (send an Authorization header)",
        ])
    }

    /// While one hook's request is held open by the server, the same hook handles another pod
    /// and another hook runs: the waiting call holds no Lua thread.
    @Test func aWaitingRequestBlocksNoOtherHandler() async throws {
        let fixture = try await HTTPHelperFixture()
        let folder = try HooksFolder([
            "default/slow.lua": """
                function on_add(pod)
                  if pod.metadata.name == 'p1' then print('slow p1 ' .. http.get('\(fixture.server.url)/hold/slow').body)
                  else print('slow ' .. pod.metadata.name) end
                end
                """,
            "default/fast.lua": "function on_add(pod) print('fast ' .. pod.metadata.name) end",
        ])
        let output = HookOutput()
        let helper = fixture.helper()
        let runtime = HookRuntime(root: folder.root, environment: output.environment(modules: { _ in [.http(helper)] }))
        try await runtime.loadAll()
        runtime.dispatch(events([.added(pod("p1", rv: 1))]))
        #expect(await fixture.server.wait(for: .held("slow")))

        runtime.dispatch(events([.added(pod("p2", rv: 2))]))
        var lines = output.stream.makeAsyncIterator()
        var seen: Set<String> = []
        while seen.count < 3, let line = await lines.next() { seen.insert(line.text) }
        #expect(seen == ["fast p1", "fast p2", "slow p2"])

        fixture.server.release("slow")
        await runtime.waitUntilIdle()
        try await fixture.shutdown()
        #expect(output.texts.last == "slow p1 released slow")
        #expect(output.failures.isEmpty)
    }

    @Test(arguments: [
        ("http.get(42)", "bad argument #1 to 'http.get' (string expected, got number)"),
        ("http.get('http://x/', 5)", "bad argument #2 to 'http.get' (table expected, got number)"),
        ("http.get('http://x/', {header = {}})", "bad argument #2 to 'http.get' (unknown field 'header'; expected headers, timeout)"),
        ("http.post('http://x/')", "bad argument #2 to 'http.post' (string expected, got no value)"),
        ("http.request('http://x/')", "bad argument #1 to 'http.request' (table expected, got string)"),
        ("http.request{url = 'http://x/', method = 'FETCH'}", "bad argument #1 to 'http.request' (method 'FETCH' is not one of"),
        ("http.request{method = 'GET'}", "(field 'url': string expected, got nil)"),
        ("http.get('http://x/', {timeout = -1})", "field 'timeout' must be a positive number of seconds"),
        ("http.get('http://x/', {headers = {['X-A'] = 'a\\r\\nX-B: b'}})", "header 'X-A' contains a line break or NUL"),
        ("http.get('http://x/', {headers = {['bad name'] = 'a'}})", "header name 'bad name' is not a valid HTTP header name"),
        ("table.sort({1, 2}, function(a, b) http.get('http://x/') return a < b end)", "http.get cannot be called here"),
    ])
    func misuseRaisesALuaError(call: String, message: String) async throws {
        let result = try await runHook("function on_add(pod) \(call) print('not reached') end", helper: HTTPHelper(policy: .disabled, client: nil))
        #expect(result.lines.isEmpty)
        #expect(result.failures.count == 1)
        let failure = try #require(result.failures.first)
        #expect(failure.error.kind == .runtime)
        #expect(failure.error.message.contains(message), "\(failure.error.message)")
    }

    @Test func aDisabledPolicyAnswersWithoutTheNetwork() async throws {
        let result = try await runHook(
            """
            function on_add(pod)
              \(show("http.get('http://127.0.0.1:1/')"))
              \(show("http.request{method = 'POST', url = 'https://example.com/', body = 'x'}"))
            end
            """, helper: HTTPHelper(policy: .disabled, client: nil))
        let message = "nil http is disabled in replay (allow hosts with --http-allow)"
        #expect(result.lines == [message, message])
    }
}
