extension HTTPHelperPolicy {
    /// Host names that lead to a metadata service whatever they resolve to (the resolved
    /// address is checked too; the name is refused even where resolution is redirected).
    static let metadataHostNames: Set<String> = ["metadata.google.internal"]

    /// Why a request to `host` (canonical) on `port` is refused before any lookup, or nil.
    func refusal(host: String, port: Int) -> String? {
        if !allowedHosts.isEmpty, !allowedHosts.contains(where: { $0.allows(host: host, port: port) }) {
            return "\(Self.display(host, port)) is not in the http allow-list"
        }
        let refusedName = Self.metadataHostNames.contains(host) || (IPAddress(host)?.isRefusedByDefault ?? false)
        if refusedName, !isNamedExplicitly(host, port: port) {
            return "\(Self.display(host, port)) is a link-local or cloud metadata address (refused unless an allow entry names it)"
        }
        return nil
    }

    /// Why connecting to what `host` resolved to is refused, or nil. Every address must pass: an
    /// answer mixing a public address with a metadata one is not trusted either way.
    func refusal(addresses: [IPAddress], host: String, port: Int) -> String? {
        guard !addresses.isEmpty else { return "\(host) did not resolve to any address" }
        // A metadata host name allowed by name may resolve to its metadata address.
        if Self.metadataHostNames.contains(host), isNamedExplicitly(host, port: port) { return nil }
        for address in addresses where address.isRefusedByDefault {
            if isNamedExplicitly((address.embeddedIPv4 ?? address).description, port: port) { continue }
            return "\(host) resolves to \(address), a link-local or cloud metadata address (refused unless an allow entry names it)"
        }
        return nil
    }

    private func isNamedExplicitly(_ name: String, port: Int) -> Bool {
        allowedHosts.contains { $0.names(name, port: port) }
    }

    static func display(_ host: String, _ port: Int) -> String {
        "\(IPAddress(host)?.urlHost ?? host):\(port)"
    }
}
