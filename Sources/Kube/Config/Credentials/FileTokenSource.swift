import Foundation
import Logging

/// A token in a file something else rotates: kubelet's projected service-account token
/// (replaced atomically, about hourly) or a kubeconfig `tokenFile`.
///
/// Every `token()` stats the file, one cheap system call, and re-reads it when its identity
/// (inode, size, modification time) changed, so a rotated token is sent from the very next
/// request. It also re-reads after `maximumAge`, in case a rewrite kept all of those, and after
/// `invalidate`. A failed re-read keeps the last good token, as client-go does: a moment of
/// rotation should not fail requests that the old token still authorizes.
public actor FileTokenSource: BearerTokenSource, CustomDebugStringConvertible, CustomReflectable {
    public nonisolated let path: String
    private let field: String
    private let site: ErrorSite
    private let reader: ConfigFileReader
    private let now: @Sendable () -> Date
    private let maximumAge: TimeInterval
    private let logger: Logger
    private var current: Redacted<String>
    private var identity: KubeFileIdentity?
    private var readAt: Date

    /// Reads the file once now, so a missing or empty token file is an error at start-up.
    public init(path: String, environment: KubeEnvironment, maximumAge: TimeInterval = 60, logger: Logger) throws {
        try self.init(path: path, field: "token file", site: ErrorSite(origin: "token file \(path)"),
                      environment: environment, maximumAge: maximumAge, logger: logger)
    }

    init(path: String, field: String, site: ErrorSite, environment: KubeEnvironment,
         maximumAge: TimeInterval = 60, logger: Logger) throws {
        self.path = path
        self.field = field
        self.site = site
        self.reader = ConfigFileReader(fileSystem: environment.fileSystem, site: site)
        self.now = environment.now
        self.maximumAge = maximumAge
        self.logger = logger
        identity = environment.fileSystem.identity(of: path)
        current = Redacted(try Self.read(path, field: field, reader: reader, site: site))
        readAt = environment.now()
    }

    public func token() async throws -> String? {
        let seen = reader.fileSystem.identity(of: path)
        if seen == nil || seen != identity || now().timeIntervalSince(readAt) >= maximumAge {
            reload(seen)
        }
        return current.value
    }

    public func invalidate(rejecting rejected: String?) async {
        // Forgetting the identity makes the next call re-read, whatever the file looks like.
        if rejected == nil || rejected == current.value { identity = nil }
    }

    private func reload(_ seen: KubeFileIdentity?) {
        do {
            let token = try Self.read(path, field: field, reader: reader, site: site)
            if token != current.value { logger.debug("bearer token file changed; using the new token", metadata: ["path": "\(path)"]) }
            current = Redacted(token)
            identity = seen
            readAt = now()
        } catch {
            logger.warning("cannot re-read bearer token file; keeping the previous token",
                           metadata: ["error": "\(error)"])
        }
    }

    private static func read(_ path: String, field: String, reader: ConfigFileReader, site: ErrorSite) throws -> String {
        let bytes = try reader.read(path, field: field)
        let token = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw site.error(.invalidField, "\(field) \(path) is empty") }
        return token
    }

    public nonisolated var description: String { "token file \(path)" }
    public nonisolated var debugDescription: String { description }
    public nonisolated var customMirror: Mirror { Mirror(self, children: [], displayStyle: .class) }
}
