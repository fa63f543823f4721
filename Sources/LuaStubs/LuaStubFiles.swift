/// What `kubelua stubs DIR` writes: the annotation files under `DIR/.kubelua/` (a name starting
/// with `.`, so a hooks folder may hold them: the hook layout skips it) and `DIR/.luarc.json`,
/// which points lua-language-server at them, sets Lua 5.4 and turns off the standard libraries
/// the sandbox does not have (its `os` is the stubs' own).
public enum LuaStubFiles {
    public static let folder = ".kubelua"

    /// Paths relative to DIR, and their contents, in the order they are written.
    public static func files(schema: KubernetesSchema = .pod) -> [(path: String, text: String)] {
        [
            (folder + "/kubernetes.lua", KubernetesLuaTypes(schema: schema).text),
            (folder + "/kubelua.lua", KubeluaLuaStubs.text),
            (".luarc.json", luarc),
        ]
    }

    static let luarc = """
        {
          "$schema": "https://raw.githubusercontent.com/LuaLS/vscode-lua/master/setting/schema.json",
          "runtime.version": "Lua 5.4",
          "runtime.builtin": { "io": "disable", "os": "disable", "debug": "disable", "package": "disable" },
          "workspace.library": ["\(folder)"],
          "diagnostics.globals": ["hook"]
        }

        """
}
