import Kube
import Lua

/// A handler call that did not complete: reported as `path:line: message` with the pod.
public struct HookFailure: Error, Sendable, CustomStringConvertible {
    public let hook: String
    /// The handler (`on_update`), or `loading` when the script itself failed to load.
    public let handler: String

    public static let loading = "load"
    public let pod: PodKey?
    /// The event being handled (`add`, `update`, `delete`, `timer`, `schedule`, `start`); nil while loading.
    public let event: String?
    public let error: LuaError
    /// A reload that failed while an earlier version of the hook stays loaded and keeps running.
    public let previousVersionKeepsRunning: Bool
    /// What becomes of the event, when the hook retries: nil when it does not.
    public var disposition: Disposition?

    public enum Disposition: Sendable, Equatable {
        /// It runs again: attempt `attempt`, after `in`.
        case retrying(attempt: Int, in: Duration)
        /// Given up after `attempts` attempts.
        case givenUp(attempts: Int)
    }

    public init(
        hook: String, handler: String, pod: PodKey? = nil, event: String? = nil, error: LuaError,
        previousVersionKeepsRunning: Bool = false
    ) {
        self.hook = hook
        self.handler = handler
        self.pod = pod
        self.event = event
        self.error = error
        self.previousVersionKeepsRunning = previousVersionKeepsRunning
    }

    public var description: String {
        let location = error.location == nil ? "\(hook): " : ""
        let podText = pod.map { " (pod \($0))" } ?? ""
        let handlerText = handler == Self.loading ? "" : " in \(handler)"
        let previous = previousVersionKeepsRunning ? "; the previous version keeps running" : ""
        var outcome = ""
        switch disposition {
        case .retrying(let attempt, let delay):
            let milliseconds = delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000
            outcome = "; retrying (attempt \(attempt)) in \(Double(milliseconds) / 1000) s"
        case .givenUp(let attempts): outcome = "; given up after \(attempts) attempt\(attempts == 1 ? "" : "s")"
        case nil: break
        }
        return "\(location)\(error.message)\(podText)\(handlerText)\(previous)\(outcome)"
    }
}
