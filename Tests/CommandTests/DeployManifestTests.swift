import Foundation
import Testing

/// The RBAC in deploy/ is what `kubelua rbac` prints for the hooks deployed with it, replaying
/// the recording beside them, with the Lease rules of `--leader-elect` (the Deployment runs two
/// replicas): a hook that starts making a new kind of call fails this test until its Role
/// grants the call (regenerate with the command in the failure message).
@Suite(.timeLimit(.minutes(1)))
struct DeployManifestTests {
    @Test(arguments: ["deploy", "deploy/overlays/all-namespaces"])
    func rbacIsWhatKubeluaRBACPrintsForItsHooks(_ kustomization: String) async throws {
        let arguments = ["rbac", "--leader-elect", "--hooks", "\(kustomization)/hooks", "\(kustomization)/recording.ndjson"]
        let (status, lines, errors) = try await KubeluaProcess.run(arguments)
        #expect(status == 0, "\(errors)")
        let printed = lines.map { $0 + "\n" }.joined()
        let file = KubeluaProcess.repository.appendingPathComponent("\(kustomization)/rbac.yaml")
        let committed = try String(contentsOf: file, encoding: .utf8)
        #expect(printed == committed, "regenerate it: kubelua \(arguments.joined(separator: " ")) > \(kustomization)/rbac.yaml")
        // The recording makes the hooks act, so their Events are granted, not only the watch.
        #expect(printed.contains("resources: [\"events\"]"), "\(printed)")
        #expect(printed.contains("""
            - apiGroups: ["coordination.k8s.io"]
              resources: ["leases"]
              verbs: ["create", "delete", "get", "list", "update"]
            """), "\(printed)")
    }
}
