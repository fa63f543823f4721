import Foundation

/// Everything the HTTP client needs to reach one API server as one identity: where, how to
/// trust it, how to authenticate, and the default namespace.
///
/// Built from a kubeconfig context (`init(kubeconfig:context:namespace:environment:logger:)`),
/// from a pod's service account (`inCluster(environment:namespace:logger:)`), or by the rule
/// kubectl users expect (`fromEnvironment(_:environment:logger:)`). Printing it never shows
/// a secret.
public struct KubeConnection: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `https://host:port` or `http://...`, possibly with a path prefix (some proxies mount
    /// the API under one); requests append `/api/v1/...` to it.
    public var server: URL
    /// The namespace requests default to: the context's, else `default`.
    public var namespace: String
    public var tls: KubeTLSConfiguration
    /// Bearer tokens for the `Authorization` header; nil sends none (client certificates only,
    /// or anonymous).
    public var credentials: (any BearerTokenSource)?
    /// Where the configuration came from, for logs: `kubeconfig /x context "dev"`, `in-cluster`.
    public var origin: String

    public init(
        server: URL, namespace: String = "default", tls: KubeTLSConfiguration = KubeTLSConfiguration(),
        credentials: (any BearerTokenSource)? = nil, origin: String
    ) {
        self.server = server
        self.namespace = namespace
        self.tls = tls
        self.credentials = credentials
        self.origin = origin
    }

    public var description: String {
        let auth = credentials.map { "\($0)" } ?? "none"
        return "KubeConnection(server: \(server.absoluteString), namespace: \(namespace), tls: \(tls), auth: \(auth), from: \(origin))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["description": description], displayStyle: .struct)
    }
}
