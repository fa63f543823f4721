/// A test case that cannot run: a bad options or stubs file, a missing folder. The message
/// names the file and line.
public struct HookTestError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
