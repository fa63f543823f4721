import Hooks
import Kube
import Testing

@Suite(.timeLimit(.minutes(1))) struct HookReplayTests {
    @Test func eventsReachHooksOneAtATimeInNameOrder() async throws {
        let folder = try HooksFolder([
            "default/b.lua": "function on_add(pod) print('b ' .. pod.metadata.name) end",
            "default/a.lua": "function on_add(pod) print('a ' .. pod.metadata.name) end",
            "_all/z.lua": "function on_add(pod) print('z ' .. pod.metadata.name) end",
            "other/c.lua": "function on_add(pod) print('c ' .. pod.metadata.name) end",
        ])
        try folder.write("events.ndjson", [
            podJSON("p1", rv: 1), podJSON("p2", namespace: "other", rv: 2), podJSON("p3", rv: 3),
        ].map { #"{"type":"ADDED","object":\#($0)}"# }.joined(separator: "\n"))
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await HookReplay.run(files: [folder.root + "/events.ndjson"], runtime: runtime)
        // `_all` sorts before the namespace folders.
        #expect(output.texts == ["z p1", "a p1", "b p1", "z p2", "c p2", "z p3", "a p3", "b p3"])
    }

    @Test func anUnreadableOrBrokenRecordingNamesTheFile() async throws {
        let folder = try HooksFolder(["default/a.lua": "", "broken.json": #"{"type":"ADDED","object":{"metadata":{}}}"#])
        let runtime = HookRuntime(root: folder.root, environment: HookOutput().environment())
        let missing = await #expect(throws: HookReplayError.self) { try await HookReplay.run(files: [folder.root + "/none.json"], runtime: runtime) }
        #expect(missing?.message == "\(folder.root)/none.json: cannot read the file: No such file or directory")
        let broken = await #expect(throws: HookReplayError.self) { try await HookReplay.run(files: [folder.root + "/broken.json"], runtime: runtime) }
        #expect(broken?.message == "\(folder.root)/broken.json:1:26: pod without metadata.name")
    }
}
