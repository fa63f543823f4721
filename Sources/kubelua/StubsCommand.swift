import ArgumentParser
import Foundation
import LuaStubs

/// `kubelua stubs DIR`: LuaLS annotations for hooks, so an editor completes and checks them.
struct StubsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stubs",
        abstract: "Write lua-language-server annotations (---@meta) and a .luarc.json for editing hooks.",
        discussion: """
            Writes DIR/.kubelua/kubernetes.lua (the Pod and every type reachable from it, from the \
            Kubernetes \(KubernetesSchema.pod.version) OpenAPI schema), DIR/.kubelua/kubelua.lua (the \
            handlers, ctx, the hook settings table and every helper of the sandbox) and \
            DIR/.luarc.json, which points lua-language-server at them. DIR is usually the hooks \
            folder or the folder an editor opens; the hooks layout skips .kubelua. Existing files \
            are replaced.
            """
    )

    @Argument(help: "Where to write .luarc.json and .kubelua/.")
    var directory: String

    func run() throws {
        for (path, text) in LuaStubFiles.files() {
            let full = directory + "/" + path
            do {
                try FileManager.default.createDirectory(
                    atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: full, atomically: true, encoding: .utf8)
            } catch {
                writeError("\(full): cannot write the file: \((error as NSError).localizedDescription)")
                throw ExitCode(1)
            }
            writeLine("wrote \(full)")
        }
    }
}
