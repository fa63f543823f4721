import Foundation
import Logging

extension KubeConnection {
    /// The configuration of a pod talking to its own cluster, as client-go builds it:
    /// `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT` (an IPv6 host bracketed),
    /// the service-account `token` (re-read as kubelet rotates it), `ca.crt` as the only trust
    /// root, and the namespace from `namespace` (`POD_NAMESPACE`, then the `namespace` file,
    /// then `default`), all under `environment.serviceAccountDirectory`.
    ///
    /// A missing token is an error; a missing `ca.crt` is logged and the system roots are used,
    /// as client-go does.
    public static func inCluster(
        environment: KubeEnvironment, namespace: String? = nil, logger: Logger
    ) throws -> KubeConnection {
        let directory = environment.serviceAccountDirectory
        let site = ErrorSite(origin: "in-cluster config \(directory)")
        let variables = environment.variables
        guard let host = variables["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = variables["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw site.error(.notInCluster, "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set (not running in a pod?)")
        }
        guard let portNumber = Int(port), (1...65535).contains(portNumber) else {
            throw site.error(.invalidField, "KUBERNETES_SERVICE_PORT: \"\(port)\" is not a port number")
        }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        guard let server = URL(string: "https://\(bracketed):\(portNumber)"), server.host != nil else {
            throw site.error(.invalidField, "KUBERNETES_SERVICE_HOST: \"\(host)\" is not a host name or address")
        }

        let token = try FileTokenSource(path: directory + "/token", field: "token", site: site,
                                        environment: environment, logger: logger)
        return KubeConnection(
            server: server,
            namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? podNamespace(environment, directory),
            tls: KubeTLSConfiguration(trustRoots: trustRoots(environment, directory, site, logger)),
            credentials: token,
            origin: "in-cluster (\(directory))")
    }

    private static func trustRoots(
        _ environment: KubeEnvironment, _ directory: String, _ site: ErrorSite, _ logger: Logger
    ) -> [UInt8]? {
        let path = directory + "/ca.crt"
        do {
            let bytes = try ConfigFileReader(fileSystem: environment.fileSystem, site: site).read(path, field: "ca.crt")
            guard PEM.hasCertificate(bytes) else {
                logger.error("service-account ca.crt is not a PEM bundle; using the system roots", metadata: ["path": "\(path)"])
                return nil
            }
            return bytes
        } catch {
            logger.error("cannot load the service-account CA bundle; using the system roots", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private static func podNamespace(_ environment: KubeEnvironment, _ directory: String) -> String {
        if let namespace = environment.variables["POD_NAMESPACE"], !namespace.isEmpty { return namespace }
        if let bytes = try? environment.fileSystem.contents(of: directory + "/namespace") {
            let namespace = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !namespace.isEmpty { return namespace }
        }
        return "default"
    }
}
