/// What hooks may do with `http`: which hosts, how long, how much. Shared by every hook of a
/// runtime.
///
/// With an empty allow-list every host is allowed except loopback (127.0.0.0/8, 0.0.0.0/8,
/// ::1, `localhost`: kubelua's own ports are there), link-local addresses (169.254.0.0/16,
/// fe80::/10), cloud metadata endpoints (see `IPAddress.cloudMetadata`,
/// metadata.google.internal) and the local-use NAT64 prefix 64:ff9b:1::/48; IPv6 forms that
/// wrap an IPv4 address are judged by that address. With entries, only the hosts they match.
/// A refused address stays refused even through an entry, unless an exact (non-wildcard)
/// entry names it. Host names are resolved and every address checked before connecting.
public struct HTTPHelperPolicy: Sendable, Equatable {
    /// Hosts requests may go to; empty allows all but the refused ones.
    public var allowedHosts: [HTTPAllowEntry]
    /// A request's timeout when the script gives none.
    public var defaultTimeout: Duration
    /// The longest timeout a script may ask for; longer ones are cut to it. The handler's own
    /// deadline still applies on top.
    public var maximumTimeout: Duration
    /// Responses with a larger body fail with `nil, "response larger than ..."`.
    public var maximumResponseBytes: Int
    /// Requests with a larger body fail without being sent.
    public var maximumRequestBytes: Int
    /// When set, every call answers `nil, disabledMessage` without touching the network.
    public var disabledMessage: String?

    public init(
        allowedHosts: [HTTPAllowEntry] = [], defaultTimeout: Duration = .seconds(5), maximumTimeout: Duration = .seconds(30),
        maximumResponseBytes: Int = 1 << 20, maximumRequestBytes: Int = 1 << 20
    ) {
        self.allowedHosts = allowedHosts
        self.defaultTimeout = defaultTimeout
        self.maximumTimeout = maximumTimeout
        self.maximumResponseBytes = maximumResponseBytes
        self.maximumRequestBytes = maximumRequestBytes
        disabledMessage = nil
    }

    /// A policy allowing the hosts of `--http-allow` entries (see `HTTPAllowEntry`).
    public init(allowing entries: [String]) throws(HTTPAllowEntry.ParseError) {
        var parsed: [HTTPAllowEntry] = []
        for entry in entries { parsed.append(try HTTPAllowEntry(parsing: entry)) }
        self.init(allowedHosts: parsed)
    }

    /// For `kubelua replay`: recorded events must not cause requests unless asked for.
    public static let disabled = disabled("http is disabled in replay (allow hosts with --http-allow)")

    /// A policy under which every call answers `nil, message`.
    public static func disabled(_ message: String) -> HTTPHelperPolicy {
        var policy = HTTPHelperPolicy()
        policy.disabledMessage = message
        return policy
    }

    public var isDisabled: Bool { disabledMessage != nil }
}
