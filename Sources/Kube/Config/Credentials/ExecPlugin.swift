import Foundation
import Logging

/// A checked exec plugin configuration that can run once and return a credential, following
/// the client-go credential plugin protocol (`client.authentication.k8s.io` v1 and v1beta1).
struct ExecPlugin: Sendable {
    static let apiVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    let command: String
    let arguments: [String]
    let variables: [KubeconfigExec.Variable]
    let apiVersion: String
    let installHint: String?
    let clusterInfo: ExecClusterInfo?
    let environment: KubeEnvironment
    let timeout: Duration
    let site: ErrorSite

    /// Checks what kubectl checks before it ever runs the plugin.
    init(_ exec: KubeconfigExec, clusterInfo: ExecClusterInfo?, environment: KubeEnvironment,
         timeout: Duration, site: ErrorSite) throws {
        guard let command = exec.command else { throw site.error(.missingField, "exec.command: missing") }
        guard let apiVersion = exec.apiVersion else {
            throw site.error(.missingField, "exec.apiVersion: missing (use \(Self.apiVersions.joined(separator: " or ")))")
        }
        guard Self.apiVersions.contains(apiVersion) else {
            let kind: KubeConfigError.Kind = apiVersion.hasPrefix("client.authentication.k8s.io/") ? .unsupported : .invalidField
            throw site.error(kind, "exec.apiVersion: \"\(apiVersion)\" is not supported (use \(Self.apiVersions.joined(separator: " or ")))")
        }
        switch exec.interactiveMode {
        case nil, "Never", "IfAvailable": break
        case "Always":
            throw site.error(.unsupported, "exec.interactiveMode: Always needs a terminal, but kubelua runs plugins non-interactively")
        case let mode?:
            throw site.error(.invalidField, "exec.interactiveMode: \"\(mode)\" is not Never, IfAvailable or Always")
        }
        self.command = command
        self.arguments = exec.args
        self.variables = exec.env
        self.apiVersion = apiVersion
        self.installHint = exec.installHint
        self.clusterInfo = exec.provideClusterInfo ? clusterInfo : nil
        self.environment = environment
        self.timeout = timeout
        self.site = site
    }

    /// `exec plugin "aws"`: how messages name the plugin.
    var name: String { "exec plugin \"\(command)\"" }

    func run(logger: Logger) async throws -> ExecCredential {
        let executable = try locate()
        logger.debug("running exec credential plugin", metadata: ["command": "\(command)", "apiVersion": "\(apiVersion)"])
        let output: ExecPluginProcess.Output
        do {
            output = try await ExecPluginProcess.run(
                executable: executable, arguments: arguments, environment: processEnvironment(), timeout: timeout)
        } catch {
            throw site.error(.execPlugin, "\(name): cannot start \(executable): \(error.localizedDescription)")
        }
        let stderr = Self.trimmed(output.stderr)
        let stderrPart = stderr.isEmpty ? "" : "; stderr: \(stderr)"
        if output.timedOut {
            throw site.error(.execPlugin, "\(name) did not finish within \(timeout) and was killed\(stderrPart)")
        }
        if output.signalled {
            throw site.error(.execPlugin, "\(name) was killed by signal \(output.exitStatus)\(stderrPart)")
        }
        if output.exitStatus != 0 {
            throw site.error(.execPlugin, "\(name) exited with status \(output.exitStatus)\(stderrPart)")
        }
        do {
            return try ExecCredential.parse(output.stdout, apiVersion: apiVersion)
        } catch {
            throw site.error(error.unsupported ? .unsupported : .execPlugin,
                             "\(name) printed an unusable ExecCredential: \(error.message)\(stderrPart)")
        }
    }

    /// stderr for messages: trimmed, and cut short so a plugin dumping pages stays readable.
    static func trimmed(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.count > 2000 ? String(text.prefix(2000)) + "…" : text
    }
}
