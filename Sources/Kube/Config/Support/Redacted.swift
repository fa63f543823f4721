/// A secret (token, password, private key) that never shows itself.
///
/// Descriptions, debug descriptions and reflection (`dump`, default struct printing) all print
/// `<redacted>`, so a secret cannot reach a log by way of the value that holds it.
public struct Redacted<Value: Sendable & Equatable>: Sendable, Equatable,
    CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable
{
    /// The secret itself: read it only where it is sent.
    public let value: Value

    public init(_ value: Value) { self.value = value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
