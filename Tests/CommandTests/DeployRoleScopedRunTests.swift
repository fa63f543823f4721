import FakeAPIClient
import FakeAPIServer
import Foundation
import Testing

/// `kubelua run` with exactly the access deploy/rbac.yaml grants its ServiceAccount: the fake
/// API server answers 403 to every resource request those Roles do not allow, as RBAC would.
@Suite(.timeLimit(.minutes(1)))
struct DeployRoleScopedRunTests {
    static let token = "service-account-token"

    /// The rules of every Role (in its namespace) and ClusterRole (everywhere) in a file as
    /// `kubelua rbac` prints it: flow lists of quoted strings, one rule per `- apiGroups:` line.
    static func accessRules(_ yaml: String) -> [AccessRule] {
        func list(_ line: Substring) -> [String] {
            guard let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]") else { return [] }
            return line[line.index(after: open)..<close].split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        var rules: [AccessRule] = []
        for document in yaml.components(separatedBy: "---\n") {
            let lines = document.split(separator: "\n")
            guard lines.contains("kind: Role") || lines.contains("kind: ClusterRole") else { continue }
            let namespace = lines.first { $0.hasPrefix("  namespace: ") }.map { String($0.dropFirst("  namespace: ".count)) }
            for (index, line) in lines.enumerated() where line.hasPrefix("- apiGroups: ") {
                rules.append(AccessRule(verbs: list(lines[index + 2]), apiGroups: list(line), resources: list(lines[index + 1]),
                                        namespace: namespace))
            }
        }
        return rules
    }

    private static func records(_ process: KubeluaProcess) -> AsyncCompactMapSequence<AsyncStream<String>, [String: Any]> {
        process.lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    @Test func theDeployedHooksRunWithTheirRoleAlone() async throws {
        let rbac = try String(contentsOf: KubeluaProcess.repository.appendingPathComponent("deploy/rbac.yaml"), encoding: .utf8)
        let rules = Self.accessRules(rbac)
        // The base grants namespace default, and the hooks' state ConfigMaps and the Lease in kubelua's own.
        #expect(!rules.isEmpty && rules.allSatisfy {
            $0.namespace == "default" || ($0.namespace == "kubelua" && ($0.resources == ["configmaps"] || $0.resources == ["leases"]))
        }, "\(rules)")
        var configuration = FakeAPIServer.Configuration()
        configuration.bearerToken = { Self.token }
        configuration.accessPolicy = AccessPolicy(rules: rules)
        let server = FakeAPIServer(configuration: configuration)
        try await server.start()
        defer { Task { try? await server.shutdown() } }

        // The policy really is the Role: pods in default, not across namespaces.
        let client = WireClient(port: server.port, bearerToken: Self.token)
        #expect(try await client.request("GET", "/api/v1/namespaces/default/pods").status == 200)
        #expect(try await client.request("GET", "/api/v1/pods").status == 403)
        #expect(try await client.request("GET", "/api/v1/namespaces/elsewhere/pods").status == 403)

        let testRequests = server.requests.count
        _ = try server.createPod(name: "job-1")
        _ = try server.createPod(namespace: "elsewhere", name: "other")
        let folder = NSTemporaryDirectory() + "kubelua-deploy-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let kubeconfig = folder + "/kubeconfig"
        try """
            apiVersion: v1
            kind: Config
            clusters: [{name: fake, cluster: {server: "\(server.baseURL)"}}]
            users: [{name: kubelua, user: {token: \(Self.token)}}]
            contexts: [{name: fake, context: {cluster: fake, user: kubelua, namespace: kubelua}}]
            current-context: fake
            """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)

        // As the Deployment runs it: one of two replicas, named by its pod.
        let process = try KubeluaProcess(["run", "--hooks", "deploy/hooks", "--kubeconfig", kubeconfig, "--log-format", "json", "--leader-elect"],
                                         environment: ["POD_NAME": "kubelua-7d9f-x2x"], readingErrors: true)
        var records = Self.records(process).makeAsyncIterator()
        var seen: [String] = []
        var write: [String: Any]?
        while write == nil, let record = await records.next() {
            let message = record["message"] as? String ?? ""
            seen.append(message)
            #expect(record["level"] as? String != "error" && !message.contains("403"), "\(record)")
            // The hook saw the pod's first phase: fail it, so the hook posts a Warning Event.
            if message == "phase changed", record["to"] as? String == "Pending" { _ = try server.setPhase(name: "job-1", "Failed") }
            if message == "kube write" { write = record }
        }
        // A success (the fake server answers a create 200, a real one 201), not a 403.
        // JSON numbers and booleans, not strings.
        #expect([200, 201].contains(write?["code"] as? Int ?? 0) && !(write?["code"] is String), "\(write ?? [:]), after \(seen)")
        #expect(write?["dry_run"] as? Bool == false && !(write?["dry_run"] is String), "\(write ?? [:])")
        #expect(write?["verb"] as? String == "create")
        process.terminate()
        #expect(await process.exitStatus() == 0)
        // It led under the Lease its Role grants, and released it on SIGTERM.
        #expect(server.leaseHolderChanges.map(\.holder) == ["kubelua-7d9f-x2x", nil], "\(server.leaseHolderChanges)")
        let events = server.objects(.eventsV1, namespace: "default")
        #expect(events.contains { $0["reason"] as? String == "PodFailed" }, "\(events)")
        let kubeluaRequests = server.requests.dropFirst(testRequests)
        let refused = kubeluaRequests.filter { $0.refusal != nil }.map { "\($0.method) \($0.path): \($0.refusal!)" }
        #expect(refused.isEmpty, "\(refused)")
        // Everything kubelua asked stayed in namespace default (discovery aside), but for the
        // hook's state, in its own ConfigMap in kubelua's namespace.
        let paths = kubeluaRequests.map(\.path).filter {
            $0.hasPrefix("/api/v1/") || $0.hasPrefix("/apis/events.k8s.io/v1/") || $0.hasPrefix("/apis/coordination.k8s.io/v1/")
        }
        #expect(!paths.isEmpty && paths.allSatisfy {
            $0.contains("/namespaces/default/") || $0.hasPrefix("/api/v1/namespaces/kubelua/configmaps")
                || $0.hasPrefix("/apis/coordination.k8s.io/v1/namespaces/kubelua/leases")
        }, "\(paths)")
        #expect(paths.contains { $0.hasPrefix("/api/v1/namespaces/kubelua/configmaps") }, "the state was kept")
    }
}
