/// Where the bearer token for the next request comes from. Tokens can change while kubelua
/// runs (a rotated service-account token, an expiring exec credential), so the client asks
/// before every request instead of keeping a copy.
///
/// Implementations print without their token.
public protocol BearerTokenSource: Sendable, CustomStringConvertible {
    /// The token to send as `Authorization: Bearer ...`, or nil to send none.
    /// Throws `KubeConfigError` when no token can be had (a failing exec plugin).
    func token() async throws -> String?

    /// Drops a token the server refused (HTTP 401) so the next `token()` fetches a fresh one.
    /// With `rejected` given, only that token is dropped: when many requests fail at once
    /// with the same old token, the credential is refreshed once, not once per request.
    func invalidate(rejecting rejected: String?) async
}

extension BearerTokenSource {
    /// Drops whatever token is cached.
    public func invalidate() async {
        await invalidate(rejecting: nil)
    }
}
