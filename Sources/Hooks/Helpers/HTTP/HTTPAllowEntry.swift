import Foundation

/// One `--http-allow` entry: `api.example.com`, `*.example.com` (any name below example.com,
/// not example.com itself), `10.0.0.7`, `[fd00::1]`, each optionally with `:port`.
public struct HTTPAllowEntry: Sendable, Hashable, CustomStringConvertible {
    public enum Host: Sendable, Hashable {
        /// A host name or address, in canonical form (see `HTTPAllowEntry.canonicalHost`).
        case exact(String)
        /// Names ending in `.suffix`.
        case subdomains(of: String)
    }

    public let host: Host
    /// The only port allowed, or nil for any.
    public let port: Int?

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(parsing text: String) throws(ParseError) {
        let entry = text.trimmingCharacters(in: .whitespaces).lowercased()
        func fail(_ reason: String) -> ParseError { ParseError(description: "invalid http allow entry '\(text)': \(reason)") }

        var hostText = Substring(entry)
        var portText: Substring?
        if entry.hasPrefix("[") {
            guard let close = entry.firstIndex(of: "]") else { throw fail("missing ']'") }
            hostText = entry[entry.index(after: entry.startIndex)..<close]
            let rest = entry[entry.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw fail("expected ':port' after ']'") }
                portText = rest.dropFirst()
            }
        } else if entry.filter({ $0 == ":" }).count == 1, let colon = entry.firstIndex(of: ":") {
            hostText = entry[..<colon]
            portText = entry[entry.index(after: colon)...]
        }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else { throw fail("port must be 1-65535") }
            self.port = port
        } else {
            port = nil
        }

        if hostText.hasPrefix("*.") {
            let suffix = Self.canonicalHost(String(hostText.dropFirst(2)))
            guard Self.isHostName(suffix) else { throw fail("expected *.domain") }
            host = .subdomains(of: suffix)
        } else {
            let name = Self.canonicalHost(String(hostText))
            guard IPAddress(name) != nil || Self.isHostName(name) else { throw fail("expected a host name or an IP address") }
            host = .exact(name)
        }
    }

    public var description: String {
        let name: String
        switch host {
        case .exact(let host): name = IPAddress(host)?.urlHost ?? host
        case .subdomains(let suffix): name = "*." + suffix
        }
        return port.map { "\(name):\($0)" } ?? name
    }

    /// Whether a request to `host` (canonical) on `port` may go ahead.
    func allows(host requested: String, port requestedPort: Int) -> Bool {
        guard port == nil || port == requestedPort else { return false }
        switch host {
        case .exact(let name): return name == requested
        case .subdomains(let suffix): return requested.hasSuffix("." + suffix)
        }
    }

    /// Whether this entry names `name` exactly (not through a wildcard) for `port`: only such an
    /// entry lifts the refusal of link-local and metadata hosts and addresses.
    func names(_ name: String, port requestedPort: Int) -> Bool {
        guard case .exact(let exact) = host, port == nil || port == requestedPort else { return false }
        return exact == name
    }

    /// Lower-cased, without IPv6 brackets or a final dot; an address in its canonical form, so
    /// `[FD00:EC2:0::254]` and `fd00:ec2::254` compare equal.
    public static func canonicalHost(_ text: String) -> String {
        var host = text.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix(".") { host.removeLast() }
        return IPAddress(host)?.description ?? host
    }

    private static func isHostName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 253 && !name.hasPrefix(".") && !name.hasPrefix("-")
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
            && !name.contains("..")
    }
}
