import Testing
@testable import Kube

@Suite("cluster: server and TLS")
struct ClusterTLSTests {
    let dir = TestDirectory()
    var file: String { dir.path("config") }

    @Test func inlineCertificateAuthority() throws {
        let connection = try dir.connect(Fixtures.kubeconfig(
            cluster: ["certificate-authority-data: \(Fixtures.base64(Fixtures.caPEM))"], user: nil))
        #expect(connection.tls.trustRoots == Array(Fixtures.caPEM.utf8))
        #expect(!connection.tls.insecureSkipVerify)
    }

    @Test func inlineCertificateAuthorityWithLineBreaks() throws {
        // Go's base64 decoder skips line breaks; hand-edited kubeconfigs rely on it.
        var chunks: [String] = []
        var rest = Substring(Fixtures.base64(Fixtures.caPEM))
        while !rest.isEmpty {
            chunks.append("  " + rest.prefix(20))
            rest = rest.dropFirst(20)
        }
        let text = Fixtures.kubeconfig(cluster: ["certificate-authority-data: |"] + chunks, user: nil)
        let connection = try dir.connect(text)
        #expect(connection.tls.trustRoots == Array(Fixtures.caPEM.utf8))
    }

    @Test func certificateAuthorityFile() throws {
        let ca = dir.write("pki/ca.pem", Fixtures.caPEM)
        let connection = try dir.connect(Fixtures.kubeconfig(cluster: ["certificate-authority: \(ca)"], user: nil))
        #expect(connection.tls.trustRoots == Array(Fixtures.caPEM.utf8))
    }

    @Test func missingCertificateAuthorityFileNamesFileAndField() {
        let error = expectConfigError(.fileNotFound) {
            _ = try dir.connect(Fixtures.kubeconfig(cluster: ["certificate-authority: ca.pem"], user: nil))
        }
        #expect(error?.description == #"kubeconfig \#(file): clusters[0] "c": cannot read certificate-authority \#(dir.path("ca.pem")): No such file or directory"#)
    }

    @Test func badCertificateAuthorityData() {
        let base64 = expectConfigError(.invalidField) {
            _ = try dir.connect(Fixtures.kubeconfig(cluster: ["certificate-authority-data: '***'"], user: nil))
        }
        #expect(base64?.description == #"kubeconfig \#(file): clusters[0] "c": certificate-authority-data: invalid base64"#)
        let notPEM = expectConfigError(.invalidField) {
            _ = try dir.connect(Fixtures.kubeconfig(cluster: ["certificate-authority-data: \(Fixtures.base64("hello"))"], user: nil))
        }
        #expect(notPEM?.message.contains("certificate-authority-data: not a PEM certificate bundle") == true)
    }

    @Test func inlineDataWinsOverFile() throws {
        let connection = try dir.connect(Fixtures.kubeconfig(cluster: [
            "certificate-authority: missing.pem",
            "certificate-authority-data: \(Fixtures.base64(Fixtures.caPEM))",
        ], user: nil))
        #expect(connection.tls.trustRoots == Array(Fixtures.caPEM.utf8))
    }

    @Test func insecureSkipVerify() throws {
        let connection = try dir.connect(Fixtures.kubeconfig(cluster: ["insecure-skip-tls-verify: true"], user: nil))
        #expect(connection.tls.insecureSkipVerify)
        #expect(connection.tls.trustRoots == nil)
    }

    @Test func insecureWithCertificateAuthorityIsRefused() {
        let error = expectConfigError(.invalidField) {
            _ = try dir.connect(Fixtures.kubeconfig(cluster: [
                "insecure-skip-tls-verify: true", "certificate-authority-data: \(Fixtures.base64(Fixtures.caPEM))",
            ], user: nil))
        }
        #expect(error?.message == #"clusters[0] "c": insecure-skip-tls-verify: cannot be combined with certificate-authority or certificate-authority-data"#)
    }

    @Test func tlsServerName() throws {
        let connection = try dir.connect(Fixtures.kubeconfig(cluster: ["tls-server-name: api.internal"], user: nil))
        #expect(connection.tls.serverName == "api.internal")
    }

    @Test func serverURLForms() throws {
        #expect(try dir.connect(Fixtures.kubeconfig(server: "http://127.0.0.1:8080", user: nil)).server.absoluteString == "http://127.0.0.1:8080")
        #expect(try dir.connect(Fixtures.kubeconfig(server: "https://[::1]:6443", user: nil)).server.host == "::1")
        let prefixed = try dir.connect(Fixtures.kubeconfig(server: "https://rancher.example/k8s/clusters/c-1", user: nil))
        #expect(prefixed.server.path == "/k8s/clusters/c-1")
    }

    @Test func missingOrInvalidServer() {
        let missing = expectConfigError(.missingField) {
            _ = try dir.connect("current-context: m\nclusters:\n- name: c\n  cluster: {}\ncontexts:\n- name: m\n  context: {cluster: c}\n")
        }
        #expect(missing?.description == #"kubeconfig \#(file): clusters[0] "c": server: missing"#)
        for bad in ["10.0.0.1:6443", "ftp://x", "https://"] {
            let error = expectConfigError(.invalidField) { _ = try dir.connect(Fixtures.kubeconfig(server: bad, user: nil)) }
            #expect(error?.message == #"clusters[0] "c": server: "\#(bad)" is not an http:// or https:// URL with a host"#)
        }
        let userinfo = expectConfigError(.invalidField) {
            _ = try dir.connect(Fixtures.kubeconfig(server: "https://admin:pa55word@host", user: nil))
        }
        #expect(userinfo?.description.contains("pa55word") == false)
    }

    @Test func proxyURLIsRefusedNamingFileAndField() {
        let error = expectConfigError(.unsupported) {
            _ = try dir.connect(Fixtures.kubeconfig(cluster: ["proxy-url: http://proxy:3128"], user: nil))
        }
        #expect(error?.description == #"kubeconfig \#(file): clusters[0] "c": proxy-url: kubelua does not support proxies; remove proxy-url to connect directly"#)
    }
}
