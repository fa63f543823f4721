import ArgumentParser
import FakeAPIServer
import Foundation

/// `kubelua-bench serve` (hidden): the fake API server child. Serves N generated pods (plus
/// one annotation, the latency stamp's placeholder) on
/// 127.0.0.1 (a free port), prints `ready <port> <pod JSON bytes>`, then answers the parent's
/// commands (`ServeSession`) until its stdin closes, and exits.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "The benchmark's fake API server child (driven by kubelua-bench).", shouldDisplay: false)

    // An argument, not `--pods`: that option belongs to the parent command, which would take it.
    @Argument(help: "Pods to generate and serve.")
    var pods: Int

    func run() async throws {
        // The parent may have been ignoring these when it spawned us (it handles them through
        // dispatch sources): Ctrl-C must end the child too.
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        let server = FakeAPIServer()
        try await server.start()
        let generator = PodGenerator()
        var served: [ServedPod] = []
        var bytes = 0
        for i in 0..<pods {
            let pod = try server.create(json: Self.withStampPlaceholder(generator.json(i)))
            served.append(ServedPod(namespace: pod.namespace, name: pod.name))
            bytes += pod.json.count
        }
        let session = ServeSession(server: server, pods: served)
        Self.reply("ready \(server.port) \(bytes)")
        let commands = LineReader(FileHandle.standardInput, name: "kubelua-bench-serve-commands")
        while let line = await commands.next() {
            Self.reply(await session.handle(line))
        }
        await session.end()
        try await server.shutdown()
    }

    /// The generated pod with the send-stamp annotation PacedStream rewrites in place (it
    /// must exist, with a value of the stamps' width); everything else is as generated.
    static func withStampPlaceholder(_ json: String) -> [UInt8] {
        let opening = "\"annotations\":{"
        let placeholder = "\"\(HookScript.sentAnnotation)\":\"\(PacedStream.stamp(0))\","
        guard let range = json.range(of: opening) else { return Array(json.utf8) }
        return Array(json.replacingCharacters(in: range, with: opening + placeholder).utf8)
    }

    /// Unbuffered, so the parent sees each reply at once.
    private static func reply(_ line: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
    }
}
