import Foundation

/// A bearer token a test rotates while the fake server runs: hand `current` to the server's
/// `Configuration.bearerToken` provider, then `rotate(to:)` it.
public final class RotatingToken: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String

    public init(_ value: String) {
        self.value = value
    }

    public var current: String { lock.withLock { value } }

    public func rotate(to new: String) {
        lock.withLock { value = new }
    }
}
