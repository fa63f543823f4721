import Kube
import Lua

/// A handler call that did not complete: reported as `path:line: message` with the pod.
public struct HookFailure: Sendable, CustomStringConvertible {
    public let hook: String
    /// The handler (`on_update`), or `loading` when the script itself failed to load.
    public let handler: String

    public static let loading = "load"
    public let pod: PodKey?
    public let error: LuaError

    public var description: String {
        let location = error.location == nil ? "\(hook): " : ""
        let podText = pod.map { " (pod \($0))" } ?? ""
        let handlerText = handler == Self.loading ? "" : " in \(handler)"
        return "\(location)\(error.message)\(podText)\(handlerText)"
    }
}
