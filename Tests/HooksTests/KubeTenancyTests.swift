import FakeAPIServer
import Foundation
import Hooks
import Kube
import Lua
import Testing

/// A namespace folder is a tenant boundary: a hook of `hooks/default/` reaches namespaced
/// objects in `default` only. Each escape is refused before any request (the fake API server's
/// log shows none), counted, and gives no rule in `kubelua rbac`; `_all/` hooks keep their reach.
@Suite(.timeLimit(.minutes(1))) struct KubeTenancyTests {
    /// Each escape as `label`, then the own namespace (named and not): what a tenant may do.
    static let escapes = """
        local function try(label, f, ...)
          local ok, err = f(...)
          print(label .. ' ' .. (ok and 'sent' or (err.reason .. ' ' .. err.status .. ' ' .. err.message)))
        end
        function on_add(pod)
          if pod.metadata.name ~= 'trigger' then return end
          try('delete', kube.delete, {apiVersion = 'v1', kind = 'Pod', namespace = 'kube-system', name = 'coredns'})
          try('get-secret', kube.get, {apiVersion = 'v1', kind = 'Secret', namespace = 'kube-system', name = 'token'})
          try('list-secrets', kube.list, {apiVersion = 'v1', kind = 'Secret', namespace = 'kube-system'})
          try('bind', kube.create, {apiVersion = 'rbac.authorization.k8s.io/v1', kind = 'ClusterRoleBinding', metadata = {name = 'own'},
            roleRef = {apiGroup = 'rbac.authorization.k8s.io', kind = 'ClusterRole', name = 'cluster-admin'},
            subjects = {{kind = 'ServiceAccount', name = 'kubelua', namespace = 'kubelua'}}})
          try('label-node', kube.label, {apiVersion = 'v1', kind = 'Node', name = 'node-1'}, {owned = 'yes'})
          local web = {apiVersion = 'v1', kind = 'Pod', namespace = 'staging', name = 'web'}
          try('patch', kube.patch, web, {metadata = {labels = {x = 'y'}}})
          try('evict', kube.evict, web)
          try('event', kube.event, web, {type = 'Warning', reason = 'Poke', message = 'hi'})
          try('configmap', kube.create, {apiVersion = 'v1', kind = 'ConfigMap', metadata = {name = 'x', namespace = 'kube-system'}})
          try('widgets', kube.list, {apiVersion = 'example.com/v1', kind = 'ClusterWidget'})
          print('own ' .. kube.create{apiVersion = 'v1', kind = 'ConfigMap', metadata = {name = 'mine'}}.metadata.name)
          print('own-get ' .. kube.get{apiVersion = 'v1', kind = 'Pod', namespace = 'default', name = 'trigger'}.metadata.name)
          print('own-event ' .. kube.event(pod, {type = 'Normal', reason = 'Seen'}).reason)
        end
        """

    /// What each escape's line must say: the call and why.
    static let refusals: [(label: String, call: String, why: String)] = [
        ("delete", "delete Pod kube-system/coredns", "namespace kube-system is outside its scope (namespace default)"),
        ("get-secret", "get Secret kube-system/token", "namespace kube-system is outside its scope"),
        ("list-secrets", "list Secret kube-system", "namespace kube-system is outside its scope"),
        ("bind", "create ClusterRoleBinding", "clusterrolebindings.rbac.authorization.k8s.io is cluster-scoped and its scope is namespace default"),
        ("label-node", "patch Node node-1", "nodes is cluster-scoped and its scope is namespace default"),
        ("patch", "patch Pod staging/web", "namespace staging is outside its scope"),
        ("evict", "evict Pod staging/web", "namespace staging is outside its scope"),
        ("event", "event Pod staging/web", "namespace staging is outside its scope"),
        ("configmap", "create ConfigMap kube-system", "namespace kube-system is outside its scope"),
        ("widgets", "list ClusterWidget", "clusterwidgets.example.com is cluster-scoped"),
    ]

    static let widgets = ResourceType(group: "example.com", version: "v1", name: "clusterwidgets", kind: "ClusterWidget", namespaced: false)

    /// A server where every escape would succeed if it were sent.
    static func world() async throws -> FakeAPIServer {
        let server = FakeAPIServer()
        try await server.start()
        server.addResource(ResourceType(group: "", version: "v1", name: "secrets", kind: "Secret"))
        server.addResource(ResourceType(group: "rbac.authorization.k8s.io", version: "v1", name: "clusterrolebindings", kind: "ClusterRoleBinding", namespaced: false))
        server.addResource(widgets)
        try server.createPod(namespace: "kube-system", name: "coredns")
        try server.createPod(namespace: "staging", name: "web", phase: "Running")
        _ = try server.createObject(.nodes, ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "node-1"]])
        return server
    }

    /// The first `count` lines `files` print once pod `trigger` is added to default.
    static func printed(
        _ files: [String: String], count: Int, on server: FakeAPIServer, clusterReads: Set<String> = [],
        statistics: KubeCallStatistics = KubeCallStatistics()
    ) async throws -> [String] {
        var texts: [String] = []
        try await KubeLiveTests.withHooks(files, server: server, statistics: statistics, clusterReads: clusterReads) { output in
            var lines = output.stream.makeAsyncIterator()
            try server.createPod(name: "trigger")
            while texts.count < count, let line = await lines.next() { texts.append(line.text) }
        }
        return texts
    }

    static func check(_ texts: [String], except skipped: Set<String> = []) {
        for (label, call, why) in refusals where !skipped.contains(label) {
            let line = texts.first { $0.hasPrefix(label + " ") } ?? "\(label): no line"
            #expect(line.hasPrefix("\(label) Forbidden 0 kubelua refused \(call) by hook default/evil.lua: "), "\(line)")
            #expect(line.contains(why), "\(line)")
        }
    }

    @Test func everyEscapeIsRefusedBeforeAnyRequestAndTheOwnNamespaceWorks() async throws {
        let server = try await Self.world()
        defer { Task { try? await server.shutdown() } }
        let statistics = KubeCallStatistics()
        let texts = try await Self.printed(["default/evil.lua": Self.escapes], count: Self.refusals.count + 3, on: server, statistics: statistics)
        Self.check(texts)
        #expect(texts.suffix(3) == ["own mine", "own-get trigger", "own-event Seen"])
        // Nothing but discovery and requests in default reached the server.
        let outside = server.requests.filter { $0.kind != .discovery && !$0.path.hasPrefix("/api/v1/namespaces/default/") && !$0.path.hasPrefix("/apis/events.k8s.io/v1/namespaces/default/") }
        #expect(outside.isEmpty, "\(outside.map { "\($0.method) \($0.path)" })")
        #expect(server.pod(namespace: "kube-system", name: "coredns") != nil)
        #expect(server.pod(namespace: "staging", name: "web")?.labels == [:])
        #expect(server.object(.configMaps, name: "mine") != nil)
        let counted = statistics.refusalSnapshot.map { "\($0.key.hook) \($0.key.call) \($0.key.resource) \($0.value)" }
        #expect(counted.count == Self.refusals.count)
        #expect(counted.contains("default/evil.lua delete pods 1"))
        #expect(counted.contains("default/evil.lua create clusterrolebindings.rbac.authorization.k8s.io 1"))
    }

    @Test func allHooksKeepClusterWideReach() async throws {
        let server = try await Self.world()
        defer { Task { try? await server.shutdown() } }
        let texts = try await Self.printed(["_all/ops.lua": """
            function on_add(pod)
              if pod.metadata.name ~= 'trigger' then return end
              print('delete ' .. tostring(kube.delete{apiVersion = 'v1', kind = 'Pod', namespace = 'kube-system', name = 'coredns'} ~= nil))
              print('label ' .. kube.label({apiVersion = 'v1', kind = 'Node', name = 'node-1'}, {owned = 'yes'}).metadata.labels.owned)
              print('patch ' .. kube.label({apiVersion = 'v1', kind = 'Pod', namespace = 'staging', name = 'web'}, {x = 'y'}).metadata.labels.x)
            end
            """], count: 3, on: server)
        #expect(texts == ["delete true", "label yes", "patch y"])
        #expect(server.pod(namespace: "kube-system", name: "coredns") == nil)
    }

    @Test func theOperatorMayOpenClusterScopedReadsButNeverWrites() async throws {
        let server = try await Self.world()
        defer { Task { try? await server.shutdown() } }
        let texts = try await Self.printed(["default/where.lua": """
            function on_add(pod)
              if pod.metadata.name ~= 'trigger' then return end
              print('get ' .. kube.get{apiVersion = 'v1', kind = 'Node', name = 'node-1'}.metadata.name)
              print('list ' .. #kube.list{apiVersion = 'v1', kind = 'Node'}.items)
              local _, err = kube.label({apiVersion = 'v1', kind = 'Node', name = 'node-1'}, {owned = 'yes'})
              print('label ' .. err.reason)
              _, err = kube.get{apiVersion = 'v1', kind = 'Namespace', name = 'default'}
              print('namespace ' .. err.reason .. ': ' .. err.message)
            end
            """], count: 4, on: server, clusterReads: ["nodes"])
        #expect(texts.prefix(3) == ["get node-1", "list 1", "label Forbidden"])
        #expect(texts.last?.contains("--allow-cluster-read namespaces") == true, "\(texts)")
        #expect(!server.requests.contains { $0.method == "PATCH" || $0.path == "/api/v1/namespaces/default" })
    }

    @Test func rbacGivesNoRuleForARefusedCallAndSaysWhichHookTriedWhat() async throws {
        let folder = try HooksFolder(["default/evil.lua": Self.escapes])
        let recording = folder.root + "/trigger.ndjson"
        try Data(#"{"type":"ADDED","object":\#(podJSON("trigger", rv: 1))}"#.utf8).write(to: URL(fileURLWithPath: recording))
        let cache = PodCache()
        let reported = Lines()
        let (kube, backend) = KubeHelper.offline(cache: cache, reportRefusal: { reported.append($0.message) }) { _ in }
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment(modules: { [.kube(kube, for: $0)] }, clock: VirtualClock()), cache: cache)
        try await HookReplay.run(files: [recording], runtime: runtime)
        // Offline, a custom kind is taken as namespaced (see `APIResource.offline`): its list stays in default.
        Self.check(output.texts, except: ["widgets"])
        #expect(output.texts.contains { $0.hasPrefix("widgets offline") })
        #expect(reported.all.count == Self.refusals.count - 1)
        #expect(reported.all.allSatisfy { $0.contains("by hook default/evil.lua") })
        let plan = HookRBAC(layout: try #require(await runtime.layout), calls: await backend.calls)
        #expect(plan.clusterWide.isEmpty)
        #expect(Array(plan.namespaced.keys) == ["default"])
        #expect(plan.namespaced["default"] == [
            .init(group: "", resource: "pods", verb: "list"), .init(group: "", resource: "pods", verb: "watch"),
            .init(group: "", resource: "pods", verb: "get"), .init(group: "", resource: "configmaps", verb: "create"),
            .init(group: "events.k8s.io", resource: "events", verb: "create"),
            .init(group: "example.com", resource: "clusterwidgets", verb: "list"),
        ])
    }

    @Test func anAllFolderWithoutHooksWidensNothingAndIsWarnedAbout() throws {
        let folder = try HooksFolder(["default/h.lua": "function on_add(pod) end"])
        try FileManager.default.createDirectory(atPath: folder.root + "/_all", withIntermediateDirectories: true)
        let layout = try HookLayout.scan(folder.root)
        #expect(!layout.watchesAllNamespaces)
        #expect(layout.queries().map(\.namespace) == ["default"])
        #expect(layout.warnings == ["\(folder.root)/_all: no hooks: it watches nothing and gets no RBAC until it holds NAME.lua (hooks for every namespace)"])
        #expect(HookRBAC(layout: layout, calls: []).clusterWide.isEmpty)
    }
}
