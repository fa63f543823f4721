import Testing
@testable import Kube

@Suite("context selection", .timeLimit(.minutes(1)))
struct ContextSelectionTests {
    let dir = TestDirectory()

    static let twoContexts = """
        current-context: dev
        clusters:
        - name: dev-cluster
          cluster: {server: "https://dev:6443"}
        - name: staging-cluster
          cluster: {server: "https://staging:6443"}
        users:
        - name: dev-user
          user: {token: dev-token}
        contexts:
        - name: dev
          context: {cluster: dev-cluster, user: dev-user}
        - name: staging
          context: {cluster: staging-cluster, namespace: stage}
        - name: broken-cluster
          context: {cluster: nowhere, user: dev-user}
        - name: broken-user
          context: {cluster: dev-cluster, user: nobody}
        - name: no-cluster
          context: {user: dev-user}
        """

    @Test func currentContextAndDefaultNamespace() async throws {
        let connection = try dir.connect(Self.twoContexts)
        #expect(connection.server.absoluteString == "https://dev:6443")
        #expect(connection.namespace == "default")
        #expect(try await connection.credentials?.token() == "dev-token")
    }

    @Test func explicitContextAndItsNamespace() throws {
        let connection = try dir.connect(Self.twoContexts, context: "staging")
        #expect(connection.server.absoluteString == "https://staging:6443")
        #expect(connection.namespace == "stage")
        // No user: anonymous.
        #expect(connection.credentials == nil)
        #expect(connection.tls.clientCertificate == nil)
    }

    @Test func namespaceOverrideWins() throws {
        let file = dir.write("config", Self.twoContexts)
        let connection = try KubeConnection.fromEnvironment(
            KubeConfigOptions(kubeconfig: file, context: "staging", namespace: "mine"),
            environment: dir.environment(), logger: LogCapture().logger)
        #expect(connection.namespace == "mine")
    }

    @Test func unknownContextListsTheKnownOnes() {
        let error = expectConfigError(.notFound) { _ = try dir.connect(Self.twoContexts, context: "prod") }
        #expect(error?.description == """
            kubeconfig \(dir.path("config")): context "prod" not found \
            (contexts: broken-cluster, broken-user, dev, no-cluster, staging)
            """)
    }

    @Test func noCurrentContext() {
        let text = Self.twoContexts.replacingOccurrences(of: "current-context: dev\n", with: "")
        let error = expectConfigError(.noContext) { _ = try dir.connect(text) }
        #expect(error?.description.hasPrefix("kubeconfig \(dir.path("config")): no context given and no current-context set (contexts: broken-cluster,") == true)
    }

    @Test func contextNamingUnknownClusterOrUser() {
        let file = dir.path("config")
        let cluster = expectConfigError(.notFound) { _ = try dir.connect(Self.twoContexts, context: "broken-cluster") }
        #expect(cluster?.description == #"kubeconfig \#(file): contexts[2] "broken-cluster": cluster "nowhere" not found (clusters: dev-cluster, staging-cluster)"#)
        let user = expectConfigError(.notFound) { _ = try dir.connect(Self.twoContexts, context: "broken-user") }
        #expect(user?.description == #"kubeconfig \#(file): contexts[3] "broken-user": user "nobody" not found (users: dev-user)"#)
        let missing = expectConfigError(.missingField) { _ = try dir.connect(Self.twoContexts, context: "no-cluster") }
        #expect(missing?.description == #"kubeconfig \#(file): contexts[4] "no-cluster": cluster: missing"#)
    }
}

@Suite("kubeconfig syntax errors", .timeLimit(.minutes(1)))
struct KubeconfigSyntaxTests {
    let dir = TestDirectory()

    @Test func badYAMLReportsLineAndColumnButNotTheLine() {
        let text = """
            users:
            - name: u
              user:
                token: "secret-in-yaml
            contexts: [
            """
        let error = expectConfigError(.invalidYAML) { _ = try dir.connect(text) }
        let description = error?.description ?? ""
        #expect(description.hasPrefix("kubeconfig \(dir.path("config")): invalid YAML at line "))
        #expect(description.contains("column"))
        #expect(!description.contains("secret-in-yaml"))
    }

    @Test func duplicateKeysDoNotEchoTheDocument() {
        let text = "current-context: a\ntoken: hush-hush\ncurrent-context: b\n"
        let error = expectConfigError(.invalidYAML) { _ = try dir.connect(text) }
        #expect(error?.description.contains(#"duplicate key "current-context""#) == true)
        #expect(error?.description.contains("hush-hush") == false)
    }

    @Test func wrongShapesNameTheField() {
        let file = dir.path("config")
        let cases: [(KubeConfigError.Kind, String, String)] = [
            (.invalidField, "clusters: oops\n", "clusters: expected a list, found a scalar"),
            (.invalidField, "- a\n- b\n", "the document: expected a mapping, found a list"),
            (.missingField, "clusters:\n- cluster: {server: x}\n", "clusters[0]: name: missing"),
            (.invalidField, "clusters:\n- name: c\n  cluster: [1]\n", #"clusters[0] "c": cluster: expected a mapping, found a list"#),
            (.invalidField, "clusters:\n- name: c\n  cluster: {server: {a: b}}\n",
             #"clusters[0] "c": server: expected a string, found a mapping"#),
            (.invalidField, "clusters:\n- name: c\n  cluster: {insecure-skip-tls-verify: maybe}\n",
             #"clusters[0] "c": insecure-skip-tls-verify: expected true or false, found "maybe""#),
            (.invalidField, "users:\n- name: u\n  user: {exec: {args: [[x]]}}\n", #"users[0] "u": exec.args[0]: expected a string"#),
            (.missingField, "users:\n- name: u\n  user: {exec: {env: [{value: v}]}}\n", #"users[0] "u": exec.env[0].name: missing"#),
            (.invalidField, "users:\n- name: a\n  user: {}\n- name: a\n  user: {}\n", #"users[1] "a": duplicate name (also users[0])"#),
        ]
        for (kind, text, message) in cases {
            #expect(throws: KubeConfigError(kind, origin: "kubeconfig \(file)", message)) {
                _ = try Kubeconfig(parsing: Array(text.utf8), path: file)
            }
        }
    }

    @Test func nullAndEmptyFieldsCountAsAbsent() throws {
        let config = try Kubeconfig(parsing: Array("""
            current-context: ""
            clusters:
            - name: c
              cluster:
                server: https://x
                certificate-authority: ~
                tls-server-name:
            """.utf8), path: "/k")
        #expect(config.currentContext == nil)
        #expect(config.clusters[0].value == KubeconfigCluster(server: "https://x"))
    }

    @Test func jsonKubeconfigParses() throws {
        let config = try Kubeconfig(parsing: Array("""
            {"current-context": "a", "clusters": [{"name": "c", "cluster": {"server": "https://j", "insecure-skip-tls-verify": true}}]}
            """.utf8), path: "/k.json")
        #expect(config.currentContext == "a")
        #expect(config.clusters[0].value.insecureSkipTLSVerify)
    }
}
