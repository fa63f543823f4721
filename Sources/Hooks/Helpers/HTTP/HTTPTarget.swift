import Foundation

/// Where a request goes, taken apart so the host can be checked and the connection made to the
/// checked address: scheme, canonical host, port, and the path with its query as written.
struct HTTPTarget: Sendable, Equatable {
    var scheme: String
    /// Canonical (see `HTTPAllowEntry.canonicalHost`).
    var host: String
    var port: Int
    /// Percent-encoded path and query, at least `/`.
    var pathAndQuery: String

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses an absolute http or https URL. Errors never repeat the URL: it may carry a token.
    init(parsing url: String) throws(Invalid) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw Invalid(description: "invalid url")
        }
        guard scheme == "http" || scheme == "https" else { throw Invalid(description: "unsupported url scheme '\(scheme)' (only http and https)") }
        guard components.percentEncodedUser == nil, components.percentEncodedPassword == nil else {
            throw Invalid(description: "credentials in the url are not supported (send an Authorization header)")
        }
        guard let rawHost = components.percentEncodedHost, !rawHost.isEmpty, !rawHost.contains("%") else {
            throw Invalid(description: "invalid url: no host")
        }
        self.scheme = scheme
        host = HTTPAllowEntry.canonicalHost(rawHost)
        if let port = components.port {
            guard (1...65535).contains(port) else { throw Invalid(description: "invalid url: port out of range") }
            self.port = port
        } else {
            port = scheme == "https" ? 443 : 80
        }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        pathAndQuery = path + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    var isDefaultPort: Bool { port == (scheme == "https" ? 443 : 80) }

    /// The `Host` header: the name the script asked for, whatever address is connected to.
    var hostHeader: String {
        let name = IPAddress(host)?.urlHost ?? host
        return isDefaultPort ? name : "\(name):\(port)"
    }

    /// The URL with `address` in place of the host (or the host itself when nil).
    func url(connectingTo address: IPAddress?) -> String {
        "\(scheme)://\(address?.urlHost ?? IPAddress(host)?.urlHost ?? host):\(port)\(pathAndQuery)"
    }

    /// `host:port`, for messages.
    var endpoint: String { HTTPHelperPolicy.display(host, port) }
}
