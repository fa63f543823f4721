/// A token written into the kubeconfig (`token`): it never changes, so invalidating it does
/// nothing and a 401 stays a 401.
public struct StaticTokenSource: BearerTokenSource, CustomDebugStringConvertible, CustomReflectable {
    private let secret: Redacted<String>

    public init(token: String) {
        secret = Redacted(token)
    }

    public func token() async throws -> String? { secret.value }

    public func invalidate(rejecting rejected: String?) async {}

    public var description: String { "static token <redacted>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
