import Foundation

/// What a reference run under `lua5.4` produced: its figures, or why there are none.
public enum LuaReferenceOutcome<Figures: Decodable> {
    case measured(Figures)
    case unavailable(String)
}

/// Runs a benchmark script with `lua5.4` and decodes the JSON object it prints. A script exits
/// with status 3 when `require "cjson"` fails, so the report can say lua-cjson is missing.
public enum LuaReferenceRun {
    public static func run<Figures: Decodable>(script: String, arguments: [String]) -> LuaReferenceOutcome<Figures> {
        do {
            let run = try ScriptProcess.run("lua5.4", script: script, arguments: arguments)
            guard run.status == 0 else {
                return .unavailable(run.status == 3 ? "lua-cjson not available: \(run.errors)" : "lua5.4 failed: \(run.errors)")
            }
            return .measured(try JSONDecoder().decode(Figures.self, from: run.output))
        } catch {
            return .unavailable("reference run failed: \(error)")
        }
    }
}
