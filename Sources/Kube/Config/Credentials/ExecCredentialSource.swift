import Foundation
import Logging

/// Tokens from an exec credential plugin (aws, gke-gcloud-auth-plugin, kubelogin, ...).
///
/// The plugin runs on the first `token()`, and again when the cached credential has expired
/// (`status.expirationTimestamp`, by the environment's clock) or was invalidated after a 401.
/// Concurrent callers share one run. A credential without an expiration is kept until
/// invalidated. Failures are not cached: the next call runs the plugin again.
public actor ExecCredentialSource: BearerTokenSource, CustomDebugStringConvertible, CustomReflectable {
    private let plugin: ExecPlugin
    private let now: @Sendable () -> Date
    private let logger: Logger
    private var cached: ExecCredential?
    private var running: Task<ExecCredential, any Error>?

    /// Checks the configuration now (command, apiVersion, interactiveMode); runs nothing yet.
    /// `timeout` bounds one plugin run: a hung plugin is killed and reported.
    public init(
        exec: KubeconfigExec, clusterInfo: ExecClusterInfo? = nil, environment: KubeEnvironment,
        timeout: Duration = .seconds(60), logger: Logger
    ) throws {
        try self.init(exec: exec, clusterInfo: clusterInfo, environment: environment, timeout: timeout,
                      site: ErrorSite(origin: "exec plugin"), logger: logger)
    }

    init(exec: KubeconfigExec, clusterInfo: ExecClusterInfo?, environment: KubeEnvironment,
         timeout: Duration, site: ErrorSite, logger: Logger) throws {
        plugin = try ExecPlugin(exec, clusterInfo: clusterInfo, environment: environment, timeout: timeout, site: site)
        now = environment.now
        self.logger = logger
    }

    public func token() async throws -> String? {
        if let cached, !cached.isExpired(at: now()) { return cached.token.value }
        let task: Task<ExecCredential, any Error>
        if let running {
            task = running
        } else {
            let plugin = self.plugin
            let logger = self.logger
            task = Task { try await plugin.run(logger: logger) }
            running = task
        }
        do {
            let credential = try await task.value
            if running == task {
                running = nil
                cached = credential
            }
            return credential.token.value
        } catch {
            if running == task { running = nil }
            throw error
        }
    }

    public func invalidate(rejecting rejected: String?) async {
        guard let cached, rejected == nil || rejected == cached.token.value else { return }
        logger.debug("exec credential invalidated; the plugin will run again", metadata: ["command": "\(plugin.command)"])
        self.cached = nil
    }

    public nonisolated var description: String { "\(plugin.name) (\(plugin.apiVersion))" }
    public nonisolated var debugDescription: String { description }
    /// `dump` would otherwise walk into the arguments, the environment and the cached token.
    public nonisolated var customMirror: Mirror { Mirror(self, children: [], displayStyle: .class) }
}
