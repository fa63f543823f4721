
/// The pods/eviction subresource: a policy/v1 Eviction deletes the pod unless a
/// PodDisruptionBudget forbids it. The budget rule: a pod that is Running and matched by one
/// budget in its namespace (`spec.selector`) may go only if the budget's Running pods, less
/// this one, still meet `spec.minAvailable` (or stay within `spec.maxUnavailable`); integers
/// and percentages. The real server reads the budget's status as its controller last wrote
/// it; here it is computed at the time of the request.
struct Eviction {
    var pods: PodRegistry
    var objects: ObjectStore

    /// The delete options an Eviction body carries (`deleteOptions`), with the request's dry run.
    static func options(_ body: [String: Any], dryRun: Bool) throws(StatusError) -> DeleteOptions {
        var options = DeleteOptions()
        options.dryRun = dryRun
        try options.apply(body["deleteOptions"] as? [String: Any] ?? [:])
        return options
    }

    /// Checks the eviction and, unless it is a dry run, deletes the pod.
    func evict(namespace: String, name: String, body: [String: Any], options: DeleteOptions) throws(StatusError) {
        if let kind = body["kind"] as? String, !kind.isEmpty, kind != "Eviction" {
            throw .badRequest("the kind of the object (\(kind)) does not match the resource (pods/eviction)")
        }
        let metadata = body["metadata"] as? [String: Any] ?? [:]
        if let bodyName = metadata["name"] as? String, !bodyName.isEmpty, bodyName != name {
            throw .badRequest("name in URL does not match name in Eviction object")
        }
        guard let pod = pods.get(NamespacedName(namespace: namespace, name: name)) else { throw .notFound(name) }
        // Pending and finished pods, as in the real server, are not protected by budgets.
        if pod.fields["status.phase"] == "Running" {
            try checkBudgets(for: pod)
        }
        _ = try pods.delete(namespace: namespace, name: name, uid: options.preconditions.uid,
                            resourceVersion: options.preconditions.resourceVersion, dryRun: options.dryRun)
    }

    private func checkBudgets(for pod: StoredPod) throws(StatusError) {
        let budgets = objects.list(.podDisruptionBudgets, namespace: pod.namespace, labels: LabelFilter(), fields: FieldFilter()).items
        let matching = budgets.compactMap { budget -> (String, [String: Any], LabelFilter)? in
            let spec = budget["spec"] as? [String: Any] ?? [:]
            guard let selector = LabelFilter(selectorObject: spec["selector"]), selector.matches(pod.labels) else { return nil }
            return ((budget["metadata"] as? [String: Any])?["name"] as? String ?? "", spec, selector)
        }
        if matching.count > 1 {
            throw StatusError(code: 500, reason: "InternalError",
                              message: "Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")
        }
        guard let (name, spec, selector) = matching.first else { return }
        let covered = pods.pods(matching: PodFilter(namespace: pod.namespace, labels: selector, fields: FieldFilter()))
        let expected = covered.count
        let healthy = covered.filter { $0.fields["status.phase"] == "Running" }.count
        let desired: Int
        if let minAvailable = spec["minAvailable"] {
            desired = Self.count(minAvailable, of: expected, roundingUp: true)
        } else if let maxUnavailable = spec["maxUnavailable"] {
            desired = max(0, expected - Self.count(maxUnavailable, of: expected, roundingUp: true))
        } else {
            return
        }
        if healthy - 1 < desired {
            throw .disruptionBudgetViolated(budget: name, desiredHealthy: desired, currentHealthy: healthy)
        }
    }

    /// An int-or-string: an integer, or a percentage of `total`.
    private static func count(_ value: Any, of total: Int, roundingUp: Bool) -> Int {
        if let number = value as? Int { return number }
        guard let text = value as? String, text.hasSuffix("%"), let percent = Int(text.dropLast()) else { return 0 }
        let scaled = total * percent
        return roundingUp ? (scaled + 99) / 100 : scaled / 100
    }
}
