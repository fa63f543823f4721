/// The Status objects of the generic resources, Eviction and RBAC, in the real server's words:
/// the resource named as `jobs.batch` (plain `pods` in the core group), `details` carrying
/// name, group and resource.
extension StatusError {
    public static func notFound(_ name: String, _ type: ResourceType) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "\(type.qualifiedName) \"\(name)\" not found",
                    details: .init(name: name, group: type.group, kind: type.name))
    }

    public static func alreadyExists(_ name: String, _ type: ResourceType) -> StatusError {
        StatusError(code: 409, reason: "AlreadyExists", message: "\(type.qualifiedName) \"\(name)\" already exists",
                    details: .init(name: name, group: type.group, kind: type.name))
    }

    public static func conflict(_ name: String, _ type: ResourceType) -> StatusError {
        StatusError(code: 409, reason: "Conflict",
                    message: "Operation cannot be fulfilled on \(type.qualifiedName) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                    details: .init(name: name, group: type.group, kind: type.name))
    }

    /// A delete or update whose `preconditions.uid` names another incarnation of the object
    /// (worded as current servers word it; older ones put a StorageError text in between).
    public static func uidPreconditionFailed(_ name: String, _ type: ResourceType, precondition: String, actual: String) -> StatusError {
        StatusError(code: 409, reason: "Conflict",
                    message: "Operation cannot be fulfilled on \(type.qualifiedName) \"\(name)\": Precondition failed: UID in precondition: \(precondition), UID in object meta: \(actual)",
                    details: .init(name: name, group: type.group, kind: type.name))
    }

    /// RBAC's refusal: `pods "x" is forbidden: User "u" cannot delete resource "pods" in API
    /// group "" in the namespace "default"` (`at the cluster scope` without a namespace; no
    /// name for lists and creates).
    public static func forbidden(user: String, verb: String, group: String, resource: String, subresource: String = "",
                                 namespace: String = "", name: String = "") -> StatusError {
        let qualified = group.isEmpty ? resource : "\(resource).\(group)"
        let target = subresource.isEmpty ? resource : "\(resource)/\(subresource)"
        let scope = namespace.isEmpty ? "at the cluster scope" : "in the namespace \"\(namespace)\""
        let reason = "User \"\(user)\" cannot \(verb) resource \"\(target)\" in API group \"\(group)\" \(scope)"
        let subject = name.isEmpty ? "\(qualified) is forbidden" : "\(qualified) \"\(name)\" is forbidden"
        return StatusError(code: 403, reason: "Forbidden", message: "\(subject): \(reason)",
                           details: .init(name: name.isEmpty ? nil : name, group: group, kind: resource))
    }

    /// The Eviction API's answer when a PodDisruptionBudget allows no disruption now.
    public static func disruptionBudgetViolated(budget: String, desiredHealthy: Int, currentHealthy: Int) -> StatusError {
        StatusError(code: 429, reason: "TooManyRequests", message: "Cannot evict pod as it would violate the pod's disruption budget.",
                    details: .init(causes: [Cause(
                      reason: "DisruptionBudget",
                      message: "The disruption budget \(budget) needs \(desiredHealthy) healthy pods and has \(currentHealthy) currently")]))
    }
}
