import ArgumentParser
import Kube

/// What the informer's cache keeps of each pod.
struct CacheOptions: ParsableArguments {
    @Flag(help: "Keep metadata.managedFields (server-side apply's bookkeeping) in every cached pod, so hooks that declare no reads see it too. By default it is dropped unless a hook's reads name metadata.managedFields.")
    var keepManagedFields = false

    /// The default since managedFields are dropped unless kept; accepted so that existing
    /// command lines keep working.
    @Flag(help: .hidden)
    var stripManagedFields = false

    func validate() throws {
        if keepManagedFields && stripManagedFields {
            throw ValidationError("--keep-managed-fields and --strip-managed-fields contradict each other (stripping is the default)")
        }
    }

    func cache() -> PodCache {
        PodCache(stripManagedFields: !keepManagedFields)
    }
}
