import Kube

/// On whose behalf a handler runs: attached to every line the hook logs.
public struct HookCallContext: Sendable, Equatable {
    public let hook: String
    public let event: PodEvent.Kind
    public let pod: PodKey
    public let resourceVersion: String
}
