import Foundation
import Testing

/// `kubelua replay` and `kubelua rbac` with hooks that act through `kube`, as a user runs them.
@Suite(.timeLimit(.minutes(1))) struct KubeCommandTests {
    static let example = "examples/failure-events"

    @Test func replayPrintsTheActionLinesOfTheExample() async throws {
        let run = try await KubeluaProcess.run(["replay", "--hooks", Self.example + "/hooks", Self.example + "/events.ndjson"])
        #expect(run.status == 0, "\(run.errors)")
        let expected = try String(contentsOfFile: Self.example + "/expected.txt", encoding: .utf8)
        #expect(run.lines == expected.split(separator: "\n").map(String.init))
    }

    @Test func rbacPrintsTheClusterRoleAndItsBindingAsYAML() async throws {
        let run = try await KubeluaProcess.run([
            "rbac", "--hooks", Self.example + "/hooks", "--service-account", "ops/hooks", Self.example + "/events.ndjson",
        ])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.lines == """
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

    @Test func rbacRefusesAMalformedServiceAccount() async throws {
        let run = try await KubeluaProcess.run(["rbac", "--hooks", Self.example + "/hooks", "--service-account", "just-a-name"])
        #expect(run.status != 0)
        #expect(run.errors.contains("--service-account takes NAMESPACE/NAME"))
    }
}
