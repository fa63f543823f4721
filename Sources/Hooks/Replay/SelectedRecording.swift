import Kube
import Selectors

/// A recording as a watch with a label selector (`-l`) would have delivered it: pods that do
/// not match are left out, an update that makes a pod match arrives as its add, and one that
/// makes it stop matching as its delete, as the API server sends them.
struct SelectedRecording {
    let selector: LabelSelector
    /// The pods the selected watch has shown and not deleted.
    private var visible = Set<PodKey>()

    init(selector: LabelSelector) {
        self.selector = selector
    }

    mutating func select(_ entry: PodRecording.Entry) -> PodRecording.Entry? {
        guard !selector.isEmpty else { return entry }
        switch entry {
        case .list(let pods):
            let kept = pods.filter { selector.matches($0.labels) }
            visible = Set(kept.map(\.key))
            return .list(kept)
        case .event(.added(let pod)), .event(.modified(let pod)):
            let matches = selector.matches(pod.labels), seen = visible.contains(pod.key)
            if matches { visible.insert(pod.key) } else { visible.remove(pod.key) }
            switch (matches, seen) {
            case (true, false): return .event(.added(pod))
            case (true, true): return entry
            case (false, true): return .event(.deleted(pod))
            case (false, false): return nil
            }
        case .event(.deleted(let pod)):
            return visible.remove(pod.key) == nil ? nil : entry
        case .event:
            return entry
        }
    }
}
