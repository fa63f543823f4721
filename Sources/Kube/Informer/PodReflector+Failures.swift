import Foundation

extension PodReflector {
    /// Logs a list or watch request that failed: against which server and configuration, what
    /// is likely wrong, and when the next attempt comes (a reflector retries for as long as it
    /// runs, so the line says so instead of leaving the user to wonder); and reports it.
    func reportFailure(of request: ReflectorRequest, _ failure: KubeRequestFailure, then next: [ReflectorStateMachine.Action]) {
        observe(query, .requestFailed(request, reason: failure.reportReason))
        let connection = client.connection
        var message = "pod \(request.rawValue) for \(query) failed: \(connection.server.absoluteString) (\(connection.origin)): \(explain(failure))"
        for case .wait(let delay) in next {
            message += "; retrying in \(delay.secondsText)"
            break
        }
        logger.warning("\(message)", metadata: ["query": "\(query)", "server": "\(connection.server.absoluteString)"])
    }

    private func explain(_ failure: KubeRequestFailure) -> String {
        guard case .status(let status) = failure else { return failure.description }
        switch status.code {
        case 404:
            let path = client.connection.server.path.trimmingTrailingSlashes + query.path
            return "HTTP 404: is this a Kubernetes API server? path \(path) not found"
        case 403:
            return "\(failure) (the identity may not list and watch pods here: check its Role or ClusterRole)"
        default:
            return failure.description
        }
    }
}

extension Duration {
    /// `1.6 s`: how log lines give a delay.
    var secondsText: String {
        let (seconds, attoseconds) = components
        return String(format: "%.1f s", Double(seconds) + Double(attoseconds) / 1e18)
    }
}
