import Kube

extension LiveKubeBackend {
    /// A request failure as `err`: the Status's code, reason and message; a 403 says which RBAC
    /// rule is missing.
    static func describe(_ failure: KubeRequestFailure, _ call: KubeCall, resource: String) -> KubeFailure {
        switch failure {
        case .status(let status):
            let reason = status.reason.isEmpty ? reason(code: status.code) : status.reason
            var message = status.message
            if status.code == 403 {
                let group = GroupVersion(call.apiVersion).group
                let verb = call.verb == .evict ? "create" : call.verb.rawValue
                let target = call.verb == .evict ? "pods/eviction" : resource
                message = "the hook may not \(verb) \(target) in API group \"\(group)\" "
                    + (call.namespace.map { "in namespace \($0)" } ?? "cluster-wide")
                    + ": add this rule to its Role (kubelua rbac prints them)" + (message.isEmpty ? "" : "; the server said: \(message)")
            }
            return KubeFailure(status: status.code, reason: reason, message: message.isEmpty ? "HTTP \(status.code)" : message)
        case .transport(let reason):
            return KubeFailure(status: 0, reason: reason.contains("timed out") || reason.contains("deadline") ? "Timeout" : "Unreachable", message: reason)
        case .malformed(let reason):
            return KubeFailure(status: 0, reason: "InvalidResponse", message: reason)
        }
    }

    /// The reason the API uses for a code, when a Status body did not say.
    static func reason(code: Int) -> String {
        switch code {
        case 400: "BadRequest"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 405: "MethodNotAllowed"
        case 409: "Conflict"
        case 410: "Gone"
        case 422: "Invalid"
        case 429: "TooManyRequests"
        case 500: "InternalError"
        case 503: "ServiceUnavailable"
        case 504: "Timeout"
        default: "Unknown"
        }
    }
}
