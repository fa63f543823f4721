import Foundation
import Testing

/// `kubelua check`'s warnings about mistakes `run` would meet only later or never report, each
/// with its line, and `--strict`, which makes them fail the check.
@Suite(.timeLimit(.minutes(1))) struct CheckStrictTests {
    static func folder(_ files: [String: String]) throws -> String {
        let root = NSTemporaryDirectory() + "kubelua-strict-" + UUID().uuidString
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func eachMistakeIsWarnedAboutWithItsLineAndStrictExitsOne() async throws {
        let root = try Self.folder([
            "default/typos.lua": """
                function on_add(pod)
                  kube.lable(pod, {a = "b"})
                  metrics.countr("x")
                end

                function onDelete(pod) end
                """,
            "default/fields.lua": """
                function on_add(pod)
                  http.gett("https://example.com")
                  timer.aftr(pod, 10)
                end
                """,
            "default/req.lua": "function on_add(pod)\n  local h = require(\"helpres\")\nend\n",
            "default/sub/x.lua": "function on_add(pod) end\n",
            "default/X.LUA": "function on_add(pod) end\n",
            "_lib/helpers.lua": "local M = {}\nfunction on_add(pod) end\nreturn M\n",
        ])
        let warnings = [
            "\(root)/default/X.LUA: ignored: only names ending in .lua (lower case) are read; rename it X.lua",
            "\(root)/default/sub/x.lua: ignored: hooks are read from \(root)/default/*.lua only, not from subfolders (move it to \(root)/default/x.lua)",
            "\(root)/default/fields.lua:2: warning: 'http.gett' does not exist (did you mean 'http.get'?)",
            "\(root)/default/fields.lua:3: warning: 'timer.aftr' does not exist (did you mean 'timer.after'?)",
            "\(root)/default/req.lua:2: warning: require(\"helpres\"): _lib/ has no helpres.lua (did you mean 'helpers'?)",
            "\(root)/default/typos.lua:6: warning: 'onDelete' is not a handler name, so it never runs; did you mean 'on_delete'?",
            "\(root)/default/typos.lua:2: warning: 'kube.lable' does not exist (did you mean 'kube.label'?)",
            "\(root)/default/typos.lua:3: warning: 'metrics.countr' does not exist (did you mean 'metrics.counter'?)",
            "\(root)/_lib/helpers.lua:2: warning: defines handler 'on_add', but _lib/ holds libraries, not hooks: it never runs as one (move the file into a namespace folder or _all/)",
        ]
        let check = try await KubeluaProcess.run(["check", "--hooks", root])
        #expect(check.status == 0, "warnings alone do not fail a plain check")
        #expect(check.lines == warnings)
        #expect(check.errors.contains("3 hook(s) loaded, 0 problem(s), 9 warning(s)"), "\(check.errors)")

        let strict = try await KubeluaProcess.run(["check", "--strict", "--hooks", root])
        #expect(strict.status == 1)
        #expect(strict.lines == warnings)
    }

    @Test func aCleanFolderPassesStrict() async throws {
        let root = try Self.folder([
            "default/h.lua": "local lib = require('helpers')\nfunction on_add(pod) lib.greet(pod); timer.after(pod, '1m') end\nfunction on_timer(pod) end\n",
            "_lib/helpers.lua": "local M = {}\nfunction M.greet(pod) log.info('hi', {pod = pod.metadata.name}) end\nreturn M\n",
        ])
        let strict = try await KubeluaProcess.run(["check", "--strict", "--hooks", root])
        #expect(strict.status == 0, "\(strict.lines) \(strict.errors)")
        #expect(strict.lines.isEmpty)
    }

    @Test func replayPassesTheNamedEnvironmentVariablesAndSelectsByLabel() async throws {
        let root = try Self.folder([
            "hooks/default/h.lua": "function on_add(pod) print(pod.metadata.name .. ' ' .. tostring(os.getenv('KUBELUA_TEST_TOKEN'))) end\n"
                + "function on_delete(pod, ctx) print('gone ' .. pod.metadata.name) end\n",
            "events.ndjson": [("ADDED", "a", "web"), ("ADDED", "b", "db"), ("MODIFIED", "a", "db"), ("MODIFIED", "b", "web")].map { type, name, app in
                #"{"type":"\#(type)","object":{"metadata":{"name":"\#(name)","namespace":"default","uid":"u-\#(name)","resourceVersion":"1","labels":{"app":"\#(app)"}}}}"#
            }.joined(separator: "\n"),
        ])
        let passed = try await KubeluaProcess.run([
            "replay", "--hooks", root + "/hooks", "--pass-env", "KUBELUA_TEST_TOKEN", "-l", "app=web", root + "/events.ndjson",
        ], environment: ["KUBELUA_TEST_TOKEN": "s3cret"])
        #expect(passed.status == 0, "\(passed.errors)")
        #expect(passed.lines == ["a s3cret", "gone a", "b s3cret"])

        let unpassed = try await KubeluaProcess.run(
            ["replay", "--hooks", root + "/hooks", root + "/events.ndjson"], environment: ["KUBELUA_TEST_TOKEN": "s3cret"])
        #expect(unpassed.lines == ["a nil", "b nil"])

        let bad = try await KubeluaProcess.run(["replay", "--hooks", root + "/hooks", "-l", "app in (web", root + "/events.ndjson"])
        #expect(bad.status != 0)
        #expect(bad.errors.contains("-l/--selector:"), "\(bad.errors)")
    }

    @Test func verbosePrintsEachHooksEffectiveSettingsAndABadSettingFailsTheCheckAtItsLine() async throws {
        let root = try Self.folder([
            "default/web.lua": "hook = { labels = \"app=web\", retry = { attempts = 3 }, schedule = \"@hourly\", reads = { \"metadata\", \"status.phase\" } }\nfunction on_add(pod) end\n",
            "default/plain.lua": "function on_add(pod) end\n",
        ])
        let verbose = try await KubeluaProcess.run(["check", "--hooks", root, "--time-limit", "5", "--verbose"])
        #expect(verbose.status == 0, "\(verbose.errors)")
        #expect(verbose.lines == [
            "default/plain.lua:",
            "  labels = (all pods)",
            "  fields = (all pods)",
            "  retry = (none: a failed call is not run again unless it returns retry())",
            "  debounce = (none)",
            "  schedule = (none)",
            "  resync = (none)",
            "  reads = (not declared: the whole pod, less metadata.managedFields; its watch's cache keeps whole pods)",
            #"  limits = { time = "5s", memory = 64MiB, instructions = 10000000 }"#,
            "default/web.lua:",
            #"  labels = "app=web""#,
            "  fields = (all pods)",
            #"  retry = { attempts = 3, initial = "1s", max = "300s", supersede = false }"#,
            "  debounce = (none)",
            #"  schedule = "@hourly""#,
            "  resync = (none)",
            #"  reads = { "metadata", "status.phase" } (sees metadata (except managedFields), status.phase)"#,
            #"  limits = { time = "5s", memory = 64MiB, instructions = 10000000 }"#,
        ])
        let broken = try Self.folder(["default/bad.lua": "hook = {\n  debounce = \"fast\",\n}\n"])
        let check = try await KubeluaProcess.run(["check", "--hooks", broken])
        #expect(check.status == 1)
        #expect(check.lines.first?.hasPrefix("\(broken)/default/bad.lua:2: hook.debounce: expected a duration") == true, "\(check.lines)")
    }

    @Test func aReadOutsideTheDeclaredReadsIsWarnedAtItsLine() async throws {
        let root = try Self.folder([
            "default/narrow.lua": """
                hook = { reads = { "metadata.labels", "status.phase", "spec.containers.image" } }
                function on_update(old, new, ctx)
                  print(new.metadata.name, new.status.phase, old.status.phase, new.metadata.labels["app"])
                  if new.spec.nodeName == old.spec.nodeName then return end
                  for _, c in ipairs(new.spec.containers) do print(c.image, new.spec.containers[1].name) end
                  print(new.metadata.managedFields, new.status["podIP"], ctx.namespace)
                end
                """,
            "default/wide.lua": "function on_add(pod) print(pod.spec.nodeName) end\n",
        ])
        let check = try await KubeluaProcess.run(["check", "--hooks", root])
        #expect(check.status == 0, "\(check.errors)")
        let outside = " is outside hook.reads, so it is always nil; add"
        #expect(check.lines == [
            "\(root)/default/narrow.lua:4: warning: new.spec.nodeName\(outside) \"spec.nodeName\" (or a part of it) to reads",
            "\(root)/default/narrow.lua:5: warning: new.spec.containers.name\(outside) \"spec.containers.name\" (or a part of it) to reads",
            "\(root)/default/narrow.lua:6: warning: new.metadata.managedFields\(outside) \"metadata.managedFields\" (or a part of it) to reads",
            "\(root)/default/narrow.lua:6: warning: new.status.podIP\(outside) \"status.podIP\" (or a part of it) to reads",
        ])
    }
}
