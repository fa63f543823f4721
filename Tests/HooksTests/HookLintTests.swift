import Foundation
import Hooks
import Testing

/// `kubelua check`'s warnings: what would never run or would fail on a name nothing defines.
@Suite(.timeLimit(.minutes(1)))
struct HookLintTests {
    private func warnings(_ files: [String: String]) async throws -> (warnings: [String], root: String) {
        let folder = try HooksFolder(files)
        let runtime = HookRuntime(root: folder.root, environment: HookOutput().environment())
        let failures = try await runtime.loadAll()
        #expect(failures.isEmpty, "\(failures)")
        let layout = await runtime.layout?.warnings ?? []
        return (layout + (await runtime.lint()), folder.root)
    }

    @Test func readsOfGlobalsNothingDefinesAreNamedWithTheirLine() async throws {
        let (warnings, root) = try await warnings([
            "default/h.lua": """
                local json_text = "io.write is fine inside a string" -- and io.write in a comment
                counter = 0
                function on_add(pod, ctx)
                  counter = counter + 1
                  local name = pod.metadata.name
                  for _, c in ipairs(pod.spec.containers) do print(c.name, name) end
                  lgo.info("added", {n = counter, text = json_text})
                  io.write(name)
                  os.execute("true")
                  if string.lenght(name) > 3 then helper_defined_later() end
                  local t = {key = 1, [name] = 2}
                  if undefined_but_checked == nil then return t.key end
                end
                function helper_defined_later() end
                """,
        ])
        let file = root + "/default/h.lua"
        #expect(warnings == [
            "\(file):7: warning: reads global 'lgo', which neither the sandbox nor the script defines (did you mean 'log'?)",
            "\(file):8: warning: 'io' is not available in the kubelua sandbox",
            "\(file):9: warning: 'os.execute' is not available in the kubelua sandbox",
            "\(file):10: warning: 'string.lenght' does not exist",
            "\(file):12: warning: reads global 'undefined_but_checked', which neither the sandbox nor the script defines",
        ])
    }

    /// Comments, strings, methods, attributes, labels, multiple assignment and table keys are
    /// not reads of undefined globals.
    @Test func correctCodeGetsNoWarnings() async throws {
        let (warnings, _) = try await warnings([
            "default/h.lua": #"""
                --[==[ a long comment: io.write(x)
                ]==]
                local M = {}
                function M:greet(name, ...) return self, name, select('#', ...) end
                local a, b <const> = 1, 0x1p4 + 1e-3 + 3.5e+2
                local s = [[ long string: undefined_x ]] .. "esc \" io.write" .. 'it\'s'
                x, y = 1, 2
                for i = 1, 10 do if i > 5 then goto done end end
                ::done::
                local t = { f = function(p) return p end, ["k"] = a, nested = { deep = b } }
                function on_update(old, new, ctx)
                  local r = t.f(old) or M:greet(new.metadata.name)
                  z = (x or y) and r
                  return z, s, json.encode({}), math.floor(1.5), string.format("%d", 1), os.time()
                end
                """#,
        ])
        #expect(warnings == [])
    }

    @Test(arguments: [("onAdd", "on_add"), ("on_modify", "on_update"), ("on_deleted", "on_delete"), ("OnPhase", "on_phase")])
    func aMisnamedHandlerGetsTheClosestName(name: String, handler: String) async throws {
        let (warnings, root) = try await warnings(["default/h.lua": "function \(name)(pod) end"])
        #expect(warnings == [
            "\(root)/default/h.lua:1: warning: '\(name)' is not a handler name, so it never runs; did you mean '\(handler)'?",
            "\(root)/default/h.lua: warning: defines no handler (on_add, on_update, on_delete, on_phase, on_timer, on_schedule, on_start), so it never runs",
        ])
    }

    @Test func localHandlersAreCalledOut() async throws {
        let (warnings, root) = try await warnings(["default/h.lua": "local function on_add(pod) end"])
        #expect(warnings == [
            "\(root)/default/h.lua: warning: defines no handler (on_add, on_update, on_delete, on_phase, on_timer, on_schedule, on_start), so it never runs; handlers must be global functions",
        ])
    }

    @Test func aScriptOutsideANamespaceFolderAndAnEmptyFolderAreWarnedAbout() async throws {
        let (warnings, root) = try await warnings(["observer.lua": "function on_add(pod) end"])
        #expect(warnings == [
            "\(root)/observer.lua: ignored: a hook belongs in a namespace folder (\(root)/<namespace>/observer.lua, or _all/ for all)",
            "\(root): no hooks: add \(root)/<namespace>/NAME.lua (or _all/NAME.lua for every namespace)",
        ])
    }

    @Test func aFileGivenAsTheHooksFolderIsAnError() async throws {
        let folder = try HooksFolder(["default/h.lua": "function on_add(pod) end"])
        let runtime = HookRuntime(root: folder.root + "/default/h.lua", environment: HookOutput().environment())
        let error = await #expect(throws: HookLayoutError.self) { try await runtime.loadAll() }
        #expect(error?.message == "\(folder.root)/default/h.lua: a file, not a folder: --hooks takes the hooks folder, which holds <namespace>/*.lua")
    }
}
