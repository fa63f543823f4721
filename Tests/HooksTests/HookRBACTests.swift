import FakeAPIServer
import Foundation
import Hooks
import Kube
import Logging
import Lua
import ServiceLifecycle
import Testing

/// `kubelua rbac` against an API server that enforces exactly the rules it printed: the example
/// runs without a 403, and without any one of the rules a request is refused, naming it.
@Suite(.timeLimit(.minutes(1))) struct HookRBACTests {
    static let example = ExamplesTests.examples + "/failure-events"

    /// The plan `kubelua rbac` computes for the example's hooks and recording.
    static func plan() async throws -> HookRBAC {
        let output = HookOutput()
        let cache = PodCache()
        let (kube, backend) = KubeHelper.offline(cache: cache) { _ in }
        let runtime = HookRuntime(root: example + "/hooks", environment: output.environment(modules: { [.kube(kube, for: $0)] }, clock: VirtualClock()), cache: cache)
        try await HookReplay.run(files: [example + "/events.ndjson"], runtime: runtime)
        let layout = try #require(await runtime.layout)
        return HookRBAC(layout: layout, calls: await backend.calls)
    }

    static func accessRules(_ plan: HookRBAC) -> [AccessRule] {
        let cluster = plan.clusterWide.map { AccessRule(verbs: [$0.verb], apiGroups: [$0.group], resources: [$0.resource]) }
        let namespaced = plan.namespaced.flatMap { namespace, rules in
            rules.map { AccessRule(verbs: [$0.verb], apiGroups: [$0.group], resources: [$0.resource], namespace: namespace) }
        }
        return cluster + namespaced
    }

    /// A crash-looping and an OOM-killed pod, as in the recording.
    static func failingPods(on server: FakeAPIServer) throws {
        for (name, status) in [
            ("ledger-0", ["name": "ledger", "restartCount": 4, "state": ["waiting": ["reason": "CrashLoopBackOff"]]] as [String: Any]),
            ("api-0", ["name": "api", "restartCount": 0, "state": ["running": [:] as [String: Any]],
                       "lastState": ["terminated": ["reason": "OOMKilled", "exitCode": 137]]]),
        ] {
            _ = try server.create([
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": name, "namespace": "payments"],
                "spec": ["containers": [["name": status["name"]!, "image": "busybox"]]],
                "status": ["phase": "Running", "containerStatuses": [status]],
            ])
        }
    }

    /// Runs the example's hooks under `kubelua run`'s daemon against a server enforcing `rules`,
    /// until `done` returns.
    static func run(rules: [AccessRule], _ done: (FakeAPIServer, HookOutput) async throws -> Void) async throws {
        var configuration = FakeAPIServer.Configuration()
        configuration.accessPolicy = AccessPolicy(rules: rules)
        let server = FakeAPIServer(configuration: configuration)
        try await server.start()
        try failingPods(on: server)
        let output = HookOutput()
        let logger = Logger(label: "test")
        let client = try KubeClient(connection: KubeConnection(server: URL(string: server.baseURL)!, origin: "test"), logger: logger)
        let cache = PodCache()
        let kube = KubeHelper(cache: cache, backend: LiveKubeBackend(client: client, logger: logger), events: KubeEventRecorder())
        let sandbox = LuaSandbox(limits: LuaSandboxLimits(timePerCall: .seconds(30)))
        let runtime = HookRuntime(
            root: example + "/hooks", environment: output.environment(sandbox: sandbox, modules: { [.kube(kube, for: $0)] }), cache: cache)
        try await runtime.loadAll()
        let daemon = HookDaemon(runtime: runtime, client: client, monitor: nil, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [daemon], logger: logger))
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            try await done(server, output)
            await group.triggerGracefulShutdown()
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test func exactlyThePrintedRulesAreNeeded() async throws {
        let plan = try await Self.plan()
        #expect(plan.namespaced.isEmpty)
        #expect(plan.clusterWide == [
            .init(group: "", resource: "pods", verb: "list"), .init(group: "", resource: "pods", verb: "watch"),
            .init(group: "", resource: "pods", verb: "patch"), .init(group: "events.k8s.io", resource: "events", verb: "create"),
        ])
        let rules = Self.accessRules(plan)

        try await Self.run(rules: rules) { server, output in
            var lines = output.stream.makeAsyncIterator()
            var seen: Set<String> = []
            while seen.count < 2, let line = await lines.next() { seen.insert(line.text) }
            #expect(seen == ["payments/ledger-0: container ledger keeps crashing (4 restarts)",
                             "payments/api-0: container api ran out of memory (exit code 137)"])
            #expect(server.requests.allSatisfy { $0.refusal == nil })
            #expect(server.objects(.eventsV1, namespace: "payments").count == 2)
        }

        for removed in rules.indices {
            var fewer = rules
            let rule = fewer.remove(at: removed)
            try await Self.run(rules: fewer) { server, _ in
                let refused = await server.waitForRequest { $0.refusal != nil }
                let message = refused?.refusal ?? ""
                #expect(message.contains("cannot \(rule.verbs[0]) resource \"\(rule.resources[0])\" in API group \"\(rule.apiGroups[0])\""), "\(message)")
            }
        }
    }
}
