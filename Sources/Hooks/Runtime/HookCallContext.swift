import Kube

/// On whose behalf a handler runs: attached to every line the hook logs.
public struct HookCallContext: Sendable, Equatable {
    public let hook: String
    public let event: PodEvent.Kind
    public let pod: PodKey
    public let resourceVersion: String

    public init(hook: String, event: PodEvent.Kind, pod: PodKey, resourceVersion: String) {
        self.hook = hook
        self.event = event
        self.pod = pod
        self.resourceVersion = resourceVersion
    }
}
