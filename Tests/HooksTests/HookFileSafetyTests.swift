import Foundation
import Glibc
import Hooks
import Testing

/// What the hooks folder may hand to Lua: `require` stays inside the folder, and special files
/// (FIFOs, devices) are refused with a message instead of blocking the reader.
@Suite(.timeLimit(.minutes(1))) struct HookFileSafetyTests {
    /// Prints what `require(name)` gave, or its error.
    static let requirer = """
        for _, name in ipairs{'inside', 'escape', 'linked.secret', 'dotted.alias'} do
          local ok, value = pcall(require, name)
          print(name .. ': ' .. tostring(value))
        end
        """

    @Test func requireRefusesWhatResolvesOutsideTheHooksFolder() async throws {
        let outside = NSTemporaryDirectory() + "kubelua-outside-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try Data("return 'secret from outside'".utf8).write(to: URL(fileURLWithPath: outside + "/secret.lua"))
        let folder = try HooksFolder(["_lib/inside.lua": "return 'inside'", "_lib/dotted/secret.lua": "return 'inside too'", "default/h.lua": Self.requirer])
        let files = FileManager.default
        try files.createSymbolicLink(atPath: folder.root + "/_lib/escape.lua", withDestinationPath: outside + "/secret.lua")
        try files.createSymbolicLink(atPath: folder.root + "/_lib/linked", withDestinationPath: outside)
        // A relative link that stays inside is fine.
        try files.createSymbolicLink(atPath: folder.root + "/_lib/dotted/alias.lua", withDestinationPath: "secret.lua")

        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        #expect(try await runtime.loadAll().isEmpty)
        #expect(output.texts == [
            "inside: inside",
            "escape: module 'escape': _lib/escape.lua: refused: it resolves to a file outside the hooks folder",
            "linked.secret: module 'linked.secret': _lib/linked/secret.lua: refused: it resolves to a file outside the hooks folder",
            "dotted.alias: inside too",
        ])
    }

    /// A ConfigMap volume: the files live in a timestamped folder, `..data` links to it, and the
    /// visible entries link through `..data`. Everything resolves inside the hooks folder.
    @Test func aConfigMapMountStillLoadsAndRequires() async throws {
        let folder = try HooksFolder([
            "..2024_05_01_10_00_00.123/default/h.lua": "local util = require('util') function on_add(pod) print(util(pod.metadata.name)) end",
            "..2024_05_01_10_00_00.123/_lib/util.lua": "return function(s) return 'util ' .. s end",
        ])
        let files = FileManager.default
        try files.createSymbolicLink(atPath: folder.root + "/..data", withDestinationPath: "..2024_05_01_10_00_00.123")
        try files.createSymbolicLink(atPath: folder.root + "/default", withDestinationPath: "..data/default")
        try files.createSymbolicLink(atPath: folder.root + "/_lib", withDestinationPath: "..data/_lib")

        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        #expect(try await runtime.loadAll().isEmpty)
        runtime.dispatch(events([.added(pod("web", rv: 1))]))
        await runtime.waitUntilIdle()
        #expect(output.texts == ["util web"])
    }

    /// Reading a FIFO blocks until a writer comes; reading /dev/zero never ends. Both are
    /// refused with a message, once, and the other hooks load.
    @Test func specialFilesAsHooksOrLibrariesAreRefusedNotRead() async throws {
        let folder = try HooksFolder([
            "default/ok.lua": "local ok, err = pcall(require, 'pipe') print(err) ok, err = pcall(require, 'zero') print(err)",
            "_lib/unused.lua": "return {}",
        ])
        #expect(mkfifo(folder.root + "/default/pipe.lua", 0o644) == 0)
        #expect(mkfifo(folder.root + "/_lib/pipe.lua", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: folder.root + "/default/zero.lua", withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(atPath: folder.root + "/_lib/zero.lua", withDestinationPath: "/dev/zero")

        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        let failures = try await runtime.loadAll()
        #expect(failures.map(\.description).sorted() == [
            "default/pipe.lua: refused: a FIFO, not a regular file",
            "default/zero.lua: refused: a character device, not a regular file",
        ])
        #expect(output.texts == [
            "module 'pipe': _lib/pipe.lua: refused: a FIFO, not a regular file",
            // Outside the folder, whatever it is: refused before its type matters.
            "module 'zero': _lib/zero.lua: refused: it resolves to a file outside the hooks folder",
        ])
        #expect(await runtime.loadedHooks == ["default/ok.lua"])
        // Reported once, not on every rescan.
        #expect(try await runtime.reload().failures.isEmpty)
        #expect(output.failures.count == 2)
    }
}
