import ArgumentParser
import Kube

/// What the informer's cache keeps of each pod.
struct CacheOptions: ParsableArguments {
    @Flag(help: "Drop metadata.managedFields from every pod before it is cached and handed on (less memory; hooks then never see it).")
    var stripManagedFields = false

    func cache() -> PodCache {
        PodCache(stripManagedFields: stripManagedFields)
    }
}
