extension FakeAPIServer {
    /// How the server listens and behaves. Defaults suit tests: an ephemeral port on loopback,
    /// plain HTTP, no auth.
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port; read it back from `FakeAPIServer.port` after `start()`.
        public var port = 0
        /// Serve HTTPS instead of HTTP.
        public var tls: TLS?
        /// When set and returning a token, requests must carry `Authorization: Bearer <token>`
        /// or get 401. Called on every request, so tests can rotate the token.
        public var bearerToken: (@Sendable () -> String?)?
        /// How often a watch with `allowWatchBookmarks=true` gets a BOOKMARK.
        public var bookmarkInterval: Duration = .seconds(60)
        /// Events kept for watches and continue tokens; older ones are compacted away.
        public var historyLimit = 10_000
        /// The resource version of the empty store; the first change gets this + 1.
        public var initialResourceVersion: UInt64 = 1000
        /// Applied to watches that do not send `timeoutSeconds` (nil: they last until closed).
        public var defaultWatchTimeout: Duration?
        public var eventLoopThreads = 1
        /// Fields left out of lists and watch events, as some API emulators do.
        public var omittedMetadata: MetadataOmissions = []
        /// When set, resource requests no rule allows get 403 Forbidden, as under RBAC.
        /// Change it while running with `FakeAPIServer.setAccessPolicy(_:)`.
        public var accessPolicy: AccessPolicy?

        public init() {}
    }
}
