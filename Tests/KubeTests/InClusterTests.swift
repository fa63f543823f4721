import Foundation
import Testing
@testable import Kube

@Suite("in-cluster configuration and the environment rule", .timeLimit(.minutes(1)))
struct InClusterTests {
    let dir = TestDirectory()
    let log = LogCapture()
    let pod = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]

    func serviceAccount(namespace: String? = "team-a", ca: Bool = true) {
        dir.write("sa/token", "sa-token-1\n")
        if ca { dir.write("sa/ca.crt", Fixtures.caPEM) }
        if let namespace { dir.write("sa/namespace", namespace + "\n") }
    }

    @Test func readsServiceAccountFiles() async throws {
        serviceAccount()
        let connection = try KubeConnection.inCluster(environment: dir.environment(pod), logger: log.logger)
        #expect(connection.server.absoluteString == "https://10.96.0.1:443")
        #expect(connection.tls.trustRoots == Array(Fixtures.caPEM.utf8))
        #expect(connection.namespace == "team-a")
        #expect(connection.origin == "in-cluster (\(dir.path("sa")))")
        let credentials = try #require(connection.credentials)
        #expect(try await credentials.token() == "sa-token-1")
        dir.write("sa/token", "sa-token-2-rotated")
        #expect(try await credentials.token() == "sa-token-2-rotated")
    }

    @Test func ipv6HostIsBracketed() throws {
        serviceAccount()
        let connection = try KubeConnection.inCluster(
            environment: dir.environment(["KUBERNETES_SERVICE_HOST": "fd00:10:96::1", "KUBERNETES_SERVICE_PORT": "6443"]),
            logger: log.logger)
        #expect(connection.server.absoluteString == "https://[fd00:10:96::1]:6443")
        #expect(connection.server.host == "fd00:10:96::1")
    }

    @Test func namespacePrecedence() throws {
        serviceAccount(namespace: nil)
        #expect(try KubeConnection.inCluster(environment: dir.environment(pod), logger: log.logger).namespace == "default")
        serviceAccount(namespace: "from-file")
        var withEnv = pod
        withEnv["POD_NAMESPACE"] = "from-env"
        #expect(try KubeConnection.inCluster(environment: dir.environment(withEnv), logger: log.logger).namespace == "from-env")
        #expect(try KubeConnection.inCluster(environment: dir.environment(withEnv), namespace: "flag", logger: log.logger).namespace == "flag")
    }

    @Test func missingCAFallsBackToSystemRootsWithALog() throws {
        serviceAccount(ca: false)
        let connection = try KubeConnection.inCluster(environment: dir.environment(pod), logger: log.logger)
        #expect(connection.tls.trustRoots == nil)
        #expect(log.text.contains("using the system roots"))
    }

    @Test func errors() {
        let outside = expectConfigError(.notInCluster) {
            _ = try KubeConnection.inCluster(environment: dir.environment(), logger: log.logger)
        }
        #expect(outside?.description.hasPrefix("in-cluster config \(dir.path("sa")): KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set") == true)
        let noToken = expectConfigError(.fileNotFound) {
            _ = try KubeConnection.inCluster(environment: dir.environment(pod), logger: log.logger)
        }
        #expect(noToken?.description == "in-cluster config \(dir.path("sa")): cannot read token \(dir.path("sa/token")): No such file or directory")
        serviceAccount()
        let badPort = expectConfigError(.invalidField) {
            _ = try KubeConnection.inCluster(
                environment: dir.environment(["KUBERNETES_SERVICE_HOST": "h", "KUBERNETES_SERVICE_PORT": "https"]), logger: log.logger)
        }
        #expect(badPort?.message == #"KUBERNETES_SERVICE_PORT: "https" is not a port number"#)
    }

    // MARK: fromEnvironment

    func homeConfig() {
        dir.write("home/.kube/config", Fixtures.kubeconfig(server: "https://home:1", user: nil))
    }

    @Test func podEnvironmentWithoutKUBECONFIGIsInCluster() throws {
        serviceAccount()
        homeConfig()
        let connection = try KubeConnection.fromEnvironment(environment: dir.environment(pod), logger: log.logger)
        #expect(connection.server.absoluteString == "https://10.96.0.1:443")
    }

    @Test func explicitKubeconfigBeatsInCluster() throws {
        serviceAccount()
        let file = dir.write("explicit", Fixtures.kubeconfig(server: "https://explicit:1", user: nil))
        let connection = try KubeConnection.fromEnvironment(
            KubeConfigOptions(kubeconfig: file), environment: dir.environment(pod), logger: log.logger)
        #expect(connection.server.absoluteString == "https://explicit:1")
    }

    @Test func kubeconfigVariableBeatsInCluster() throws {
        serviceAccount()
        let file = dir.write("listed", Fixtures.kubeconfig(server: "https://listed:1", user: nil))
        var variables = pod
        variables["KUBECONFIG"] = file
        let connection = try KubeConnection.fromEnvironment(environment: dir.environment(variables), logger: log.logger)
        #expect(connection.server.absoluteString == "https://listed:1")
    }

    @Test func explicitContextMeansKubeconfig() throws {
        serviceAccount()
        homeConfig()
        let connection = try KubeConnection.fromEnvironment(
            KubeConfigOptions(context: "main"), environment: dir.environment(pod), logger: log.logger)
        #expect(connection.server.absoluteString == "https://home:1")
    }

    @Test func outsideAPodTheDefaultPathIsUsed() throws {
        homeConfig()
        let connection = try KubeConnection.fromEnvironment(environment: dir.environment(), logger: log.logger)
        #expect(connection.server.absoluteString == "https://home:1")
        #expect(connection.namespace == "default")
    }
}
