import Testing

@testable import Hooks

/// The policy's decisions on their own: no network.
@Suite struct HTTPHelperPolicyTests {
    @Test func allowEntriesParse() throws {
        let entries = try ["API.Example.com.", "*.example.com", "10.0.0.7:8443", "[FD00:EC2:0::254]", "[::1]:80", "fe80::1", "svc:80"]
            .map { try HTTPAllowEntry(parsing: $0) }
        #expect(entries.map(\.description) == ["api.example.com", "*.example.com", "10.0.0.7:8443", "[fd00:ec2::254]", "[::1]:80", "[fe80::1]", "svc:80"])
        for bad in ["", "*", "*.", "a b", "host:0", "host:x", "[::1", "[::1]x", "a..b", "*example.com"] {
            #expect(throws: HTTPAllowEntry.ParseError.self, "\(bad)") { try HTTPAllowEntry(parsing: bad) }
        }
    }

    @Test func wildcardsMatchSubdomainsOnlyAndPortsRestrict() throws {
        let policy = try HTTPHelperPolicy(allowing: ["*.example.com", "api.test:8080"])
        #expect(policy.refusal(host: "a.example.com", port: 443) == nil)
        #expect(policy.refusal(host: "a.b.example.com", port: 80) == nil)
        #expect(policy.refusal(host: "example.com", port: 443) != nil)
        #expect(policy.refusal(host: "badexample.com", port: 443) != nil)
        #expect(policy.refusal(host: "api.test", port: 8080) == nil)
        #expect(policy.refusal(host: "api.test", port: 80) != nil)
    }

    @Test func anEmptyListAllowsAllButRefusedAddresses() {
        let policy = HTTPHelperPolicy()
        #expect(policy.refusal(host: "example.com", port: 443) == nil)
        for host in ["169.254.169.254", "169.254.0.1", "fe80::1", "febf::1", "fd00:ec2::254", "100.100.100.200", "metadata.google.internal"] {
            #expect(policy.refusal(host: host, port: 80) != nil, "\(host)")
        }
        #expect(policy.refusal(host: "fec0::1", port: 80) == nil)
        #expect(policy.refusal(host: "100.100.100.201", port: 80) == nil)
    }

    @Test(arguments: [
        ("127.0.0.1", "a loopback address"), ("127.255.255.254", "a loopback address"), ("0.0.0.0", "a loopback address"),
        ("::1", "a loopback address"), ("::", "a loopback address"), ("localhost", "a loopback address"),
        ("api.localhost", "a loopback address"), ("::ffff:127.0.0.1", "a loopback address"),
        ("::127.0.0.1", "a loopback address"), ("::ffff:0:127.0.0.1", "a loopback address"), ("64:ff9b::7f00:1", "a loopback address"),
        ("168.63.129.16", "a cloud metadata address"), ("fd20:ce::254", "a cloud metadata address"),
        ("::169.254.169.254", "a cloud metadata address"), ("::a9fe:101", "a link-local address"),
        ("64:ff9b:1::a00:1", "a local-use NAT64 address"), ("64:ff9b:1:ffff::1", "a local-use NAT64 address"),
    ])
    func loopbackCloudAndNAT64AddressesAreRefused(host: String, range: String) {
        let display = HTTPHelperPolicy.display(HTTPAllowEntry.canonicalHost(host), 80)
        #expect(HTTPHelperPolicy().refusal(host: HTTPAllowEntry.canonicalHost(host), port: 80)
            == "\(display) is \(range) (refused unless an --http-allow entry names it)")
    }

    @Test func wrappedPublicAddressesStayAllowed() {
        let policy = HTTPHelperPolicy()
        for host in ["::ffff:93.184.216.34", "::93.184.216.34", "64:ff9b::5db8:d822", "64:ff9a:1::1", "::2", "128.0.0.1", "1.0.0.0"] {
            #expect(policy.refusal(host: HTTPAllowEntry.canonicalHost(host), port: 80) == nil, "\(host)")
        }
    }

    @Test func anExactEntryLiftsTheLoopbackRefusal() throws {
        let policy = try HTTPHelperPolicy(allowing: ["127.0.0.1:9090", "localhost:8080", "[::1]", "*.localhost"])
        #expect(policy.refusal(host: "127.0.0.1", port: 9090) == nil)
        #expect(policy.refusal(addresses: [IPAddress("127.0.0.1")!], host: "127.0.0.1", port: 9090) == nil)
        #expect(policy.refusal(addresses: [IPAddress("::ffff:127.0.0.1")!], host: "mapped.test", port: 9090) == nil)
        #expect(policy.refusal(host: "127.0.0.1", port: 9091) != nil)
        #expect(policy.refusal(host: "127.0.0.2", port: 9090) != nil)
        // A named localhost may resolve to loopback, IPv4 and IPv6 alike.
        #expect(policy.refusal(host: "localhost", port: 8080) == nil)
        #expect(policy.refusal(addresses: [IPAddress("127.0.0.1")!, IPAddress("::1")!], host: "localhost", port: 8080) == nil)
        #expect(policy.refusal(host: "::1", port: 1) == nil)
        // A wildcard lets the name through the allow-list but does not lift the refusal.
        #expect(policy.refusal(host: "app.localhost", port: 80)?.hasSuffix("is a loopback address (refused unless an --http-allow entry names it)") == true)
        #expect(policy.refusal(addresses: [IPAddress("127.0.0.1")!], host: "other.test", port: 9091) != nil)
    }

    @Test func resolvedAddressesAreChecked() throws {
        let policy = HTTPHelperPolicy()
        let metadata = IPAddress("169.254.169.254")!
        #expect(policy.refusal(addresses: [IPAddress("93.184.216.34")!], host: "example.com", port: 80) == nil)
        #expect(policy.refusal(addresses: [IPAddress("93.184.216.34")!, metadata], host: "mixed.test", port: 80) != nil)
        #expect(policy.refusal(addresses: [IPAddress("::ffff:169.254.169.254")!], host: "mapped.test", port: 80) != nil)
        #expect(policy.refusal(addresses: [IPAddress("64:ff9b::a9fe:a9fe")!], host: "nat64.test", port: 80) != nil)
        #expect(policy.refusal(addresses: [], host: "nothing.test", port: 80) != nil)
    }

    @Test func onlyAnExactEntryLiftsARefusal() throws {
        let named = try HTTPHelperPolicy(allowing: ["169.254.169.254:80", "metadata.google.internal"])
        #expect(named.refusal(host: "169.254.169.254", port: 80) == nil)
        #expect(named.refusal(host: "169.254.169.254", port: 8080) != nil)
        #expect(named.refusal(addresses: [IPAddress("169.254.169.254")!], host: "169.254.169.254", port: 80) == nil)
        #expect(named.refusal(host: "metadata.google.internal", port: 80) == nil)
        #expect(named.refusal(addresses: [IPAddress("169.254.169.254")!], host: "metadata.google.internal", port: 8080) == nil)

        let wildcard = try HTTPHelperPolicy(allowing: ["*.internal", "*.test"])
        #expect(wildcard.refusal(host: "metadata.google.internal", port: 80) != nil)
        #expect(wildcard.refusal(addresses: [IPAddress("169.254.169.254")!], host: "evil.test", port: 80) != nil)
    }

    @Test func timeoutsAreCutToTheMaximumAndFollowTheDeadline() {
        let helper = HTTPHelper(policy: .disabled, client: nil)
        func request(_ timeout: Double?) -> HTTPHelperRequest {
            HTTPHelperRequest(method: "GET", url: "http://x/", headers: [], body: nil, timeout: timeout)
        }
        #expect(helper.timeout(for: request(nil), secondsLeft: nil) == 5)
        #expect(helper.timeout(for: request(100), secondsLeft: nil) == 30)
        #expect(helper.timeout(for: request(2), secondsLeft: 10) == 2)
        // The deadline comes first: the bridge cancels at it, the request's own limit is a backstop.
        #expect(helper.timeout(for: request(5), secondsLeft: 0.5) == 1.5)
    }

    @Test func targetsParse() throws {
        let target = try HTTPTarget(parsing: "HTTP://API.Test:8080/a%20b?q=1#frag")
        #expect(target.scheme == "http" && target.host == "api.test" && target.port == 8080 && target.pathAndQuery == "/a%20b?q=1")
        #expect(target.hostHeader == "api.test:8080")
        #expect(target.url(connectingTo: IPAddress("::1")) == "http://[::1]:8080/a%20b?q=1")
        let v6 = try HTTPTarget(parsing: "https://[FD00::1]")
        #expect(v6.host == "fd00::1" && v6.port == 443 && v6.pathAndQuery == "/" && v6.hostHeader == "[fd00::1]")
    }
}
