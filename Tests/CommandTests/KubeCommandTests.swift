import Foundation
import Testing

/// `kubelua replay` and `kubelua rbac` with hooks that act through `kube`, as a user runs them.
@Suite(.timeLimit(.minutes(1))) struct KubeCommandTests {
    static let example = "examples/failure-events"

    @Test func replayPrintsTheActionLinesOfTheExample() async throws {
        let run = try await KubeluaProcess.run(["replay", "--hooks", Self.example + "/hooks", Self.example + "/events.ndjson"])
        #expect(run.status == 0, "\(run.errors)")
        let expected = try String(contentsOfFile: Self.example + "/expected.txt", encoding: .utf8)
        // expected.txt is `kubelua test`'s: each hook line led by `hook pod: `, which replay leaves out.
        #expect(run.lines == expected.split(separator: "\n").map { $0.hasPrefix("ACTION ") ? String($0) : String($0.split(separator: ": ", maxSplits: 1)[1]) })
    }

    @Test func rbacPrintsTheClusterRoleAndItsBindingAsYAML() async throws {
        let run = try await KubeluaProcess.run([
            "rbac", "--hooks", Self.example + "/hooks", "--service-account", "ops/hooks", Self.example + "/events.ndjson",
        ])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.lines == """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: kubelua
              namespace: ops
            rules:
            - apiGroups: [""]
              resources: ["configmaps"]
              verbs: ["create", "get", "list", "patch", "update"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: kubelua
              namespace: ops
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: Role
              name: kubelua
            subjects:
            - kind: ServiceAccount
              name: hooks
              namespace: ops
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: kubelua
            rules:
            - apiGroups: [""]
              resources: ["pods"]
              verbs: ["list", "patch", "watch"]
            - apiGroups: ["events.k8s.io"]
              resources: ["events"]
              verbs: ["create"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: kubelua
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: kubelua
            subjects:
            - kind: ServiceAccount
              name: hooks
              namespace: ops
            """.split(separator: "\n").map(String.init))
        // What the hooks print and the ACTION lines go to standard error, keeping the YAML clean.
        #expect(run.errors.contains("ACTION event Warning CrashLoopBackOff"))
    }

    @Test func rbacWithLeaderElectGrantsTheLeaseWhereItLives() async throws {
        let run = try await KubeluaProcess.run([
            "rbac", "--leader-elect", "--leader-election-namespace", "ha", "--hooks", Self.example + "/hooks", "--service-account", "ops/hooks",
        ])
        #expect(run.status == 0, "\(run.errors)")
        let roles = run.lines.joined(separator: "\n").components(separatedBy: "---\n")
        let lease = try #require(roles.first { $0.contains("kind: Role\n") && $0.contains("namespace: ha") })
        #expect(lease.hasSuffix("""
            rules:
            - apiGroups: ["coordination.k8s.io"]
              resources: ["leases"]
              verbs: ["create", "delete", "get", "list", "update"]

            """), "\(lease)")
        let without = try await KubeluaProcess.run(["rbac", "--leader-election-namespace", "ha", "--hooks", Self.example + "/hooks"])
        #expect(without.status != 0 && without.errors.contains("--leader-election-namespace takes effect only with --leader-elect"), "\(without.errors)")
    }

    @Test func rbacHelpSaysWhatItGrants() async throws {
        let run = try await KubeluaProcess.run(["rbac", "--help"])
        #expect(run.status == 0)
        let help = run.lines.joined(separator: " ")
        #expect(help.contains("list and watch on pods"), "\(help)")
        #expect(help.contains("gets no rule"), "\(help)")
    }

    @Test func rbacRefusesAMalformedServiceAccount() async throws {
        let run = try await KubeluaProcess.run(["rbac", "--hooks", Self.example + "/hooks", "--service-account", "just-a-name"])
        #expect(run.status != 0)
        #expect(run.errors.contains("--service-account takes NAMESPACE/NAME"))
    }

    /// A hooks folder with `default/<name>` holding `source`, and a recording that adds one pod in default.
    static func tenant(_ source: String, name: String = "reach.lua") throws -> (hooks: String, recording: String) {
        let root = NSTemporaryDirectory() + "kubelua-tenancy-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/hooks/default", withIntermediateDirectories: true)
        try source.write(toFile: root + "/hooks/default/" + name, atomically: true, encoding: .utf8)
        let pod = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u","resourceVersion":"1"}}"#
        try #"{"type":"ADDED","object":\#(pod)}"#.write(toFile: root + "/events.ndjson", atomically: true, encoding: .utf8)
        return (root + "/hooks", root + "/events.ndjson")
    }

    @Test func rbacGivesARefusedCallNoRuleAndSaysWhichHookTriedWhat() async throws {
        let (hooks, recording) = try Self.tenant("""
            function on_add(pod)
              kube.create{apiVersion = 'rbac.authorization.k8s.io/v1', kind = 'ClusterRoleBinding', metadata = {name = 'x'}}
              kube.delete{apiVersion = 'v1', kind = 'Pod', namespace = 'kube-system', name = 'coredns'}
              kube.label(pod, {seen = 'yes'})
            end
            """)
        let run = try await KubeluaProcess.run(["rbac", "--hooks", hooks, recording])
        #expect(run.status == 0, "\(run.errors)")
        let yaml = run.lines.joined(separator: "\n")
        #expect(yaml.contains("kind: Role\nmetadata:\n  name: kubelua\n  namespace: default\n"))
        #expect(yaml.contains(#"verbs: ["list", "patch", "watch"]"#))
        #expect(!yaml.contains("ClusterRole") && !yaml.contains("kube-system") && !yaml.contains("delete"))
        #expect(run.errors.contains("refused: kubelua refused create ClusterRoleBinding by hook default/reach.lua: "))
        #expect(run.errors.contains("refused: kubelua refused delete Pod kube-system/coredns by hook default/reach.lua: "))
    }

    @Test func allowClusterReadOpensOnlyClusterScopedResources() async throws {
        let (hooks, recording) = try Self.tenant("function on_add(pod) kube.get{apiVersion = 'v1', kind = 'Node', name = 'n'} end")
        let refused = try await KubeluaProcess.run(["rbac", "--hooks", hooks, "--allow-cluster-read", "secrets", recording])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("--allow-cluster-read secrets: not a cluster-scoped resource"), "\(refused.errors)")
        let opened = try await KubeluaProcess.run(["rbac", "--hooks", hooks, "--allow-cluster-read", "nodes", recording])
        #expect(opened.status == 0, "\(opened.errors)")
        #expect(opened.lines.joined(separator: "\n").contains("kind: ClusterRole\nmetadata:\n  name: kubelua\nrules:\n- apiGroups: [\"\"]\n  resources: [\"nodes\"]\n  verbs: [\"get\"]"))
    }
}
