extension HTTPHelper {
    /// Thrown when a request's own timeout passes.
    struct TimedOut: Error {}

    /// Runs `body`, cancelling it (which makes the client abort the request and close its
    /// connection) if it is still running after `seconds`. The client's own deadline covers
    /// only the wait for the response head; this covers the lookup and the body as well.
    static func within<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .nanoseconds(Int64(seconds * 1e9)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw TimedOut() }
            return value
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// `5 s`, `0.25 s`: for messages.
    static func seconds(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? "\(Int(rounded)) s" : "\(rounded) s"
    }
}
