import Kube
import Selectors

/// Which pods of its scope a hook sees (its `labels` and `fields` settings), applied to the
/// informer's events: a pod that starts matching arrives as an add, one that stops matching as
/// a delete, each with its reason; pods that never match are not handed to the hook at all.
struct HookSelection: Sendable {
    let labels: LabelSelector?
    let fields: PodFieldSelector?

    init(_ settings: HookSettings) {
        labels = settings.labels
        fields = settings.fields
    }

    /// No selector: every pod of the scope.
    var selectsEverything: Bool { labels == nil && fields == nil }

    func matches(_ pod: PodRecord) -> Bool {
        (labels.map { $0.matches(pod.labels) } ?? true) && (fields.map { $0.matches(pod) } ?? true)
    }

    /// The event as this hook sees it, or nil when it is about pods the hook does not see.
    func select(_ event: PodEvent) -> (PodEvent, HookEventReason?)? {
        if selectsEverything { return (event, nil) }
        switch event.kind {
        case .add, .delete:
            return matches(event.pod) ? (event, nil) : nil
        case .update:
            let before = event.old.map(matches) ?? false, after = matches(event.pod)
            switch (before, after) {
            case (true, true): return (event, nil)
            case (false, true): return (.add(event.pod, at: event.resourceVersion), .selected)
            case (true, false): return (.delete(event.pod, tombstone: false, at: event.resourceVersion), .unselected)
            case (false, false): return nil
            }
        }
    }
}
