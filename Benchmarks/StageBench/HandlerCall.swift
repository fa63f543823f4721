import Hooks
import JSONBytes
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
        // Copies without an index made before timing, so that variant times only the reads.
        let texts = updates.map { update in
            [update.old!, update.pod].map { pod in push == .lazyWithoutIndex ? pod.json.withUnsafeBufferPointer { JSONText(copying: $0) } : pod.json }
        }
        let start = ProcessCPU.seconds()
        for pair in texts {
            _ = try await script.call("on_update") { (state) throws(LuaError) -> Int32 in
                for json in pair {
                    do throws(LuaJSONError) {
                        switch push {
                        case .lazy, .lazyWithoutIndex: try state.pushLazyJSON(json)
                        case .eager: try json.withUnsafeBufferPointer { (bytes) throws(LuaJSONError) in try LuaJSON.push(UnsafeRawBufferPointer(bytes), onto: state.pointer) }
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
