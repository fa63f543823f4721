extension HTTPHelperPolicy {
    /// Host names that lead to a refused address whatever they resolve to (the resolved
    /// address is checked too; the name is refused even where resolution is redirected):
    /// metadata services, and `localhost` and its subdomains (always loopback, RFC 6761).
    static func refusedName(_ host: String) -> IPAddress.RefusedRange? {
        if host == "metadata.google.internal" { return .cloudMetadata }
        if host == "localhost" || host.hasSuffix(".localhost") { return .loopback }
        return nil
    }

    /// Why a request to `host` (canonical) on `port` is refused before any lookup, or nil.
    func refusal(host: String, port: Int) -> String? {
        if !allowedHosts.isEmpty, !allowedHosts.contains(where: { $0.allows(host: host, port: port) }) {
            return "\(Self.display(host, port)) is not in the http allow-list"
        }
        if let range = Self.refusedName(host) ?? IPAddress(host)?.refusedRange, !isNamedExplicitly(host, port: port) {
            return "\(Self.display(host, port)) is \(range.rawValue) (\(Self.liftHint))"
        }
        return nil
    }

    /// Why connecting to what `host` resolved to is refused, or nil. Every address must pass: an
    /// answer mixing a public address with a refused one is not trusted either way.
    func refusal(addresses: [IPAddress], host: String, port: Int) -> String? {
        guard !addresses.isEmpty else { return "\(host) did not resolve to any address" }
        // A refused name allowed by name may resolve to what such names resolve to.
        if Self.refusedName(host) != nil, isNamedExplicitly(host, port: port) { return nil }
        for address in addresses {
            guard let range = address.refusedRange else { continue }
            if isNamedExplicitly((address.embeddedIPv4 ?? address).description, port: port) { continue }
            return "\(host) resolves to \(address), \(range.rawValue) (\(Self.liftHint))"
        }
        return nil
    }

    static let liftHint = "refused unless an --http-allow entry names it"

    private func isNamedExplicitly(_ name: String, port: Int) -> Bool {
        allowedHosts.contains { $0.names(name, port: port) }
    }

    static func display(_ host: String, _ port: Int) -> String {
        "\(IPAddress(host)?.urlHost ?? host):\(port)"
    }
}
