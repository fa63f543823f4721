import Hooks
import Kube
import Lua
import Testing

/// The `hook = {...}` settings table: what it accepts, and the load error each mistake gives,
/// at `path:line`, naming the key and the value.
@Suite(.timeLimit(.minutes(1)))
struct HookSettingsTests {
    /// Loads one hook and returns its load failure's message, or nil when it loaded.
    func loadError(_ source: String) async throws -> String? {
        let folder = try HooksFolder(["default/h.lua": source])
        let runtime = HookRuntime(root: folder.root, environment: HookOutput().environment())
        return try await runtime.loadAll().first.map { $0.error.message.replacingOccurrences(of: folder.root + "/", with: "") }
    }

    @Test func everySettingIsReadAndShownAsItTakesEffect() async throws {
        let folder = try HooksFolder(["default/h.lua": """
            hook = {
              labels = "app=web,tier!=cache",
              fields = "spec.nodeName=node-1",
              retry = { attempts = 5, initial = "1s", max = "5m", supersede = true },
              debounce = "500ms",
              limits = { time = "5s", memory = "16MiB", instructions = 50000000 },
              reads = { "status", "spec.containers.image" },
            }
            """])
        let runtime = HookRuntime(root: folder.root, environment: HookOutput().environment())
        #expect(try await runtime.loadAll().isEmpty)
        let settings = try #require(await runtime.settings.first?.1)
        #expect(settings.retry == RetryPolicy(attempts: 5, initial: .seconds(1), max: .seconds(300), supersede: true))
        #expect(settings.debounce == .milliseconds(500))
        #expect(settings.describe(over: LuaSandboxLimits()) == [
            #"labels = "app=web,tier!=cache""#,
            #"fields = "spec.nodeName=node-1""#,
            #"retry = { attempts = 5, initial = "1s", max = "300s", supersede = true }"#,
            #"debounce = "500ms""#,
            "schedule = (none)",
            "resync = (none)",
            #"reads = { "status", "spec.containers.image" } (sees metadata.name, metadata.namespace, metadata.uid, spec.containers.image, status)"#,
            #"limits = { time = "5s", memory = 16MiB, instructions = 50000000 }"#,
        ])
    }

    @Test func withoutSettingsTheFlagsLimitsApplyAndNothingIsRetried() async throws {
        let folder = try HooksFolder(["default/h.lua": "function on_add() end"])
        let runtime = HookRuntime(root: folder.root, environment: HookOutput().environment())
        try await runtime.loadAll()
        let settings = try #require(await runtime.settings.first?.1)
        #expect(settings == HookSettings())
        #expect(settings.describe(over: LuaSandboxLimits()).last == #"limits = { time = "2s", memory = 64MiB, instructions = 10000000 }"#)
    }

    @Test(arguments: [
        ("hook = {\n  debouce = \"1s\",\n}", "default/h.lua:2: hook.debouce: unknown setting (known: debounce, fields, labels, limits, reads, resync, retry, schedule)"),
        ("hook = {\n  retry = {\n    attempts = \"five\" } }",
         #"default/h.lua:3: hook.retry.attempts: expected a whole number from 1 to 100, got "five""#),
        ("hook = { retry = { initial = \"1s\", max = \"1x\" } }",
         #"default/h.lua:1: hook.retry.max: expected a duration such as "500ms", "30s", "5m" or a number of seconds, got "1x""#),
        ("hook = { retry = { initial = \"10s\", max = \"1s\" } }", "default/h.lua:1: hook.retry.max: 1.0s is less than initial (10.0s)"),
        ("hook = { retry = { supersede = 1 } }", "default/h.lua:1: hook.retry.supersede: expected true or false, got 1"),
        ("x = 1\nhook = { labels = \"app in (web\" }", #"default/h.lua:2: hook.labels: "app in (web" is not a label selector: "#),
        ("hook = { fields = \"spec.host=x\" }", "default/h.lua:1: hook.fields: 'spec.host' is not a field pods can be selected by"),
        ("hook = { debounce = -1 }", "default/h.lua:1: hook.debounce: expected a duration"),
        ("hook = { limits = { memory = \"16MB\" } }", #"default/h.lua:1: hook.limits.memory: expected a size of at least 1MiB such as "16MiB", got "16MB""#),
        ("hook = { limits = { cpu = 1 } }", "default/h.lua:1: hook.limits.cpu: unknown setting (known: instructions, memory, time)"),
        ("hook = \"fast\"", #"default/h.lua:1: hook: expected a table of settings, got "fast""#),
        ("hook = {\n  reads = \"metadata\",\n}",
         #"default/h.lua:2: hook.reads: expected a list of dotted paths such as { "metadata", "status.phase" }, got "metadata""#),
        ("hook = { reads = { \"metadata\", 3 } }", #"default/h.lua:1: hook.reads: item 2: expected a dotted path such as "status.phase", got 3"#),
        ("hook = { reads = { \"status..phase\" } }", #"default/h.lua:1: hook.reads: item 1: "status..phase" is not a dotted path (an empty part)"#),
        ("hook = { reads = { \"\" } }", #"default/h.lua:1: hook.reads: item 1: "" is not a dotted path (an empty part)"#),
        ("hook = { reads = { \"status. phase\" } }", #"default/h.lua:1: hook.reads: item 1: "status. phase" is not a dotted path (a part with a space)"#),
        ("hook = { reads = { kind = \"metadata\" } }", #"default/h.lua:1: hook.reads: expected a list of dotted paths such as { "metadata", "status.phase" }, got a table with the key "kind""#),
    ])
    func aBadSettingIsALoadErrorAtItsLine(_ source: String, _ expected: String) async throws {
        let message = try await loadError(source)
        #expect(message?.hasPrefix(expected) == true, "\(message ?? "loaded")")
    }

    @Test func aReloadWithABadSettingKeepsThePreviousVersionRunning() async throws {
        let folder = try HooksFolder(["default/h.lua": "hook = { debounce = \"1s\" }\nfunction on_add(pod) print('v1') end"])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        try folder.write("default/h.lua", "hook = { debounce = \"soon\" }\nfunction on_add(pod) print('v2') end")
        let failure = try #require(try await runtime.reload().failures.first)
        #expect(failure.description.hasSuffix("; the previous version keeps running"))
        await runtime.feed([.added(pod("p", rv: 1))])
        await runtime.waitUntilIdle()
        #expect(output.texts == ["v1"])
    }

    @Test func retryOutsideAHandlerIsAnErrorAndABadDelayNamesTheValue() async throws {
        let topLevel = try await loadError("retry()")
        #expect(topLevel?.contains("retry() can only be called while a handler runs") == true)
        let folder = try HooksFolder(["default/h.lua": "function on_add(pod) return retry('soon') end"])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        await runtime.feed([.added(pod("p", rv: 1))])
        await runtime.waitUntilIdle()
        #expect(output.failures.first?.error.message.contains(#"retry: expected a delay from 1ms to 24h such as "30s" or a number of seconds, got "soon""#) == true)
    }
}
