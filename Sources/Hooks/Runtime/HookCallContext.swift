import JSONBytes
import Kube
import Synchronization

/// On whose behalf a handler runs: attached to every line the hook logs, and how the call asks
/// its queue for something (`retry()`).
public struct HookCallContext: Sendable, Equatable {
    public let hook: String
    /// `add`, `update`, `delete`, `timer`, `schedule` or `start`.
    public let event: String
    /// Nil for calls about no pod (`on_start`, `on_schedule`).
    public let pod: PodKey?
    public let resourceVersion: String
    let control: HookCallControl?
    /// What the hook is shown of the pods it reads from the cache with `kube` (nil: all).
    let view: JSONProjection?

    public init(hook: String, event: String, pod: PodKey?, resourceVersion: String) {
        self.init(hook: hook, event: event, pod: pod, resourceVersion: resourceVersion, control: nil)
    }

    init(hook: String, event: String, pod: PodKey?, resourceVersion: String, control: HookCallControl?, view: JSONProjection? = nil) {
        self.hook = hook
        self.event = event
        self.pod = pod
        self.resourceVersion = resourceVersion
        self.control = control
        self.view = view
    }

    public static func == (a: HookCallContext, b: HookCallContext) -> Bool {
        a.hook == b.hook && a.event == b.event && a.pod == b.pod && a.resourceVersion == b.resourceVersion
    }
}

/// What one handler call asked of its queue while it ran: to be run again (after a delay, or
/// the policy's backoff when nil).
final class HookCallControl: Sendable {
    private let retry = Mutex<Duration??>(nil)

    /// Set by `retry()`: `.some(nil)` for the policy's backoff.
    var retryRequested: Duration?? { retry.withLock { $0 } }

    func requestRetry(after delay: Duration?) {
        retry.withLock { $0 = .some(delay) }
    }
}
