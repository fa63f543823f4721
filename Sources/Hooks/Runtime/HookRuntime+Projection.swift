import JSONBytes
import Kube

extension HookRuntime {
    /// What the cache of each watch of `layout` keeps of its pods: what the hooks it feeds read
    /// (and their field selectors compare), or whole pods when one of them declares nothing.
    func projections(for hooks: [HookInstance], layout: HookLayout) -> [String?: JSONProjection] {
        var projections: [String?: JSONProjection] = [:]
        for query in layout.queries() {
            let fed = hooks.filter { hook in query.namespace.map { hook.file.scope.contains(namespace: $0) } ?? true }
            let compared = fed.flatMap { hook in
                (hook.settings.fields?.requirements ?? []).map { $0.field.split(separator: ".").map(String.init) }
            }
            projections[query.namespace] = PodProjection.cached(
                views: fed.map(\.view), selecting: compared, strippingManagedFields: cache.stripsManagedFields)
        }
        return projections
    }

    /// How a reload that widens what a watch keeps has the pods it already holds read anew
    /// before the new versions start from them (`kubelua run`: the watches relist). Without
    /// it (replay, tests), those pods keep their narrower bytes until their next event.
    public func relistingWidenedWatches(_ relist: @escaping @Sendable (Set<String?>) async -> Void) {
        relistWidenedWatches = relist
    }
}
