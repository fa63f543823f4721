import Hooks
import Kube
import Lua

/// Calls the benchmark's `on_update` directly on a sandboxed script, pushing old and new as
/// the hook runtime does (decoded as read), without their container index, or decoded whole
/// with `LuaJSON.push`.
struct HandlerCall {
    enum Push { case lazy, lazyWithoutIndex, eager }
    let push: Push

    static let source = """
        seen = 0
        function on_update(old, new, ctx)
          local name, phase = new.metadata.name, new.status.phase
          if phase == "Running" and name ~= nil then seen = seen + 1 end
        end
        """

    func time(_ updates: [PodEvent]) async throws -> Double {
        let script = try LuaScript(source: Array(Self.source.utf8), chunkName: "stage.lua")
        let push = push
        let start = ProcessCPU.seconds()
        for update in updates {
            _ = try await script.call("on_update") { (state) throws(LuaError) -> Int32 in
                for pod in [update.old!, update.pod] {
                    do throws(LuaJSONError) {
                        switch push {
                        case .lazy: try state.pushLazyJSON(pod.json, index: pod.index)
                        case .lazyWithoutIndex: try state.pushLazyJSON(pod.json)
                        case .eager: try LuaJSON.push(pod.json, onto: state.pointer)
                        }
                    } catch {
                        throw LuaError(kind: .runtime, message: error.message)
                    }
                }
                state.newTable(fieldCapacity: 7)
                return 3
            }
        }
        return ProcessCPU.seconds() - start
    }
}
