import Foundation
import Testing
@testable import Kube

@Suite("kubeconfig loading and merging", .timeLimit(.minutes(1)))
struct KubeconfigLoadingTests {
    let dir = TestDirectory()
    let log = LogCapture()

    func config(server: String, current: String? = nil, context: String = "main", user: String = "token: t") -> String {
        """
        \(current.map { "current-context: \($0)" } ?? "")
        clusters:
        - name: c
          cluster: {server: "\(server)"}
        users:
        - name: u
          user: {\(user)}
        contexts:
        - name: \(context)
          context: {cluster: c, user: u}
        """
    }

    @Test func explicitPathIsUsedAloneEvenWithKUBECONFIG() throws {
        let listed = dir.write("listed", config(server: "https://listed:1", current: "main"))
        let explicit = dir.write("explicit", config(server: "https://explicit:1", current: "main"))
        let set = try KubeconfigSet.load(explicitPath: explicit, environment: dir.environment(["KUBECONFIG": listed]), logger: log.logger)
        #expect(set.files.map(\.path) == [explicit])
        let connection = try KubeConnection(kubeconfig: set, environment: dir.environment(), logger: log.logger)
        #expect(connection.server.absoluteString == "https://explicit:1")
        #expect(connection.origin == "kubeconfig \(explicit) context \"main\"")
    }

    @Test func missingExplicitPathIsAnError() {
        let missing = dir.path("nope/config")
        let error = expectConfigError(.fileNotFound) {
            _ = try KubeconfigSet.load(explicitPath: missing, environment: dir.environment(), logger: log.logger)
        }
        #expect(error?.description == "kubeconfig \(missing): No such file or directory")
    }

    @Test func kubeconfigListMergesFirstDefinitionWins() async throws {
        // The first file's user has only a token; the second's has a certificate too. The entry
        // comes whole from the first file: no field-by-field merge.
        let first = dir.write("a", """
            clusters:
            - name: shared
              cluster: {server: "https://first:1"}
            users:
            - name: u
              user: {token: first-token}
            """)
        let second = dir.write("b", """
            current-context: ctx
            clusters:
            - name: shared
              cluster: {server: "https://second:1"}
            - name: only-second
              cluster: {server: "https://only-second:1"}
            users:
            - name: u
              user:
                token: second-token
                client-certificate-data: \(Fixtures.base64(Fixtures.clientCertPEM))
                client-key-data: \(Fixtures.base64(Fixtures.keyPEM))
            contexts:
            - name: ctx
              context: {cluster: shared, user: u, namespace: team}
            - name: other
              context: {cluster: only-second}
            """)
        let environment = dir.environment(["KUBECONFIG": "\(first):\(second)"])
        let set = try KubeconfigSet.load(environment: environment, logger: log.logger)
        #expect(set.files.map(\.path) == [first, second])
        #expect(set.origin == "kubeconfig \(first), \(second)")

        let connection = try KubeConnection(kubeconfig: set, environment: environment, logger: log.logger)
        #expect(connection.server.absoluteString == "https://first:1")
        #expect(connection.namespace == "team")
        #expect(connection.tls.clientCertificate == nil)
        #expect(try await connection.credentials?.token() == "first-token")

        let other = try KubeConnection(kubeconfig: set, context: "other", environment: environment, logger: log.logger)
        #expect(other.server.absoluteString == "https://only-second:1")
        #expect(other.credentials == nil)
    }

    @Test func currentContextComesFromTheFirstFileThatSetsIt() throws {
        let none = dir.write("none", "clusters: []\n")
        let second = dir.write("second", config(server: "https://second:1", current: "two", context: "two"))
        let third = dir.write("third", config(server: "https://third:1", current: "three", context: "three"))
        let set = try KubeconfigSet.load(
            environment: dir.environment(["KUBECONFIG": "\(none):\(second):\(third)"]), logger: log.logger)
        #expect(set.currentContext == "two")
    }

    @Test func missingFilesAndEmptyEntriesInKUBECONFIGAreSkipped() throws {
        let real = dir.write("real", config(server: "https://real:1", current: "main"))
        let missing = dir.path("missing")
        let set = try KubeconfigSet.load(
            environment: dir.environment(["KUBECONFIG": ":\(missing)::\(real):\(real):"]), logger: log.logger)
        #expect(set.files.map(\.path) == [real])
        #expect(log.text.contains(missing))
    }

    @Test func kubeconfigListWithNoExistingFileIsAnError() {
        let a = dir.path("a"), b = dir.path("b")
        let error = expectConfigError(.fileNotFound) {
            _ = try KubeconfigSet.load(environment: dir.environment(["KUBECONFIG": "\(a):\(b)"]), logger: log.logger)
        }
        #expect(error?.description == "kubeconfig \(a), \(b): none of the files in KUBECONFIG exists")
    }

    @Test func unreadableFileInKUBECONFIGIsNotSkipped() throws {
        try FileManager.default.createDirectory(atPath: dir.path("adir"), withIntermediateDirectories: true)
        let error = expectConfigError(.unreadableFile) {
            _ = try KubeconfigSet.load(environment: dir.environment(["KUBECONFIG": dir.path("adir")]), logger: log.logger)
        }
        #expect(error?.description == "kubeconfig \(dir.path("adir")): Is a directory")
    }

    @Test(arguments: [nil, "", ":"])
    func defaultPathIsHomeKubeConfig(kubeconfigVariable: String?) throws {
        let home = dir.write("home/.kube/config", config(server: "https://home:1", current: "main"))
        var variables: [String: String] = [:]
        if let kubeconfigVariable { variables["KUBECONFIG"] = kubeconfigVariable }
        let connection = try KubeConnection.fromEnvironment(environment: dir.environment(variables), logger: log.logger)
        #expect(connection.server.absoluteString == "https://home:1")
        #expect(connection.origin == "kubeconfig \(home) context \"main\"")
    }

    @Test func missingDefaultPathAndMissingHomeAreErrors() {
        let error = expectConfigError(.fileNotFound) {
            _ = try KubeConnection.fromEnvironment(environment: dir.environment(), logger: log.logger)
        }
        #expect(error?.description == "kubeconfig \(dir.path("home/.kube/config")): No such file or directory")

        let noHome = expectConfigError(.fileNotFound) {
            _ = try KubeconfigSet.load(environment: KubeEnvironment(variables: [:]), logger: log.logger)
        }
        #expect(noHome?.message.contains("HOME is not set") == true)
    }

    @Test func relativePathsResolveAgainstTheirOwnFile() async throws {
        dir.write("one/certs/ca.pem", Fixtures.caPEM)
        dir.write("two/keys/cert.pem", Fixtures.clientCertPEM)
        dir.write("two/keys/key.pem", Fixtures.keyPEM)
        dir.write("two/token", "file-token\n")
        let first = dir.write("one/config", """
            current-context: main
            clusters:
            - name: c
              cluster: {server: "https://one:1", certificate-authority: certs/ca.pem}
            contexts:
            - name: main
              context: {cluster: c, user: u}
            """)
        let second = dir.write("two/sub/config", """
            users:
            - name: u
              user:
                client-certificate: ../keys/cert.pem
                client-key: ./../keys/key.pem
                tokenFile: ../token
            - name: relative
              user:
                exec: {command: ./bin/plugin, apiVersion: client.authentication.k8s.io/v1}
            - name: bare
              user:
                exec: {command: plugin-in-path, apiVersion: client.authentication.k8s.io/v1}
            """)
        let set = try KubeconfigSet.load(environment: dir.environment(["KUBECONFIG": "\(first):\(second)"]), logger: log.logger)
        #expect(set.cluster(named: "c")?.value.certificateAuthority == dir.path("one/certs/ca.pem"))
        let user = try #require(set.user(named: "u")).value
        #expect(user.clientCertificate == dir.path("two/keys/cert.pem"))
        #expect(user.clientKey == dir.path("two/keys/key.pem"))
        #expect(user.tokenFile == dir.path("two/token"))
        #expect(set.user(named: "relative")?.value.exec?.command == dir.path("two/sub/bin/plugin"))
        #expect(set.user(named: "bare")?.value.exec?.command == "plugin-in-path")

        // Resolving reads each file from where its own kubeconfig put it.
        let resolved = try KubeConnection(kubeconfig: set, environment: dir.environment(), logger: log.logger)
        #expect(resolved.tls.trustRoots == Array(Fixtures.caPEM.utf8))
        #expect(resolved.tls.clientCertificate?.privateKey.value == Array(Fixtures.keyPEM.utf8))
        #expect(try await resolved.credentials?.token() == "file-token")
    }

    @Test func pathsAreCleanedLikeKubectl() {
        #expect(KubePath.resolve("../ca.pem", against: "/x/y") == "/x/ca.pem")
        #expect(KubePath.resolve("/abs/ca.pem", against: "/x/y") == "/abs/ca.pem")
        #expect(KubePath.resolve("a//b/./c", against: "rel") == "rel/a/b/c")
        #expect(KubePath.directory(of: "config") == ".")
        #expect(KubePath.directory(of: "/config") == "/")
        #expect(KubePath.clean("../../a/..") == "../..")
    }

    @Test func emptyFileIsAnEmptyConfig() throws {
        let empty = dir.write("empty", "")
        let error = expectConfigError(.noContext) {
            _ = try dir.connect("", name: "empty")
        }
        #expect(error?.description == "kubeconfig \(empty): no context given and no current-context set (no contexts defined)")
    }
}
