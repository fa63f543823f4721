/// Where a hook's state documents live, one per `HookStatePart`.
public protocol HookStateBackend: Sendable {
    /// Whether writes go anywhere (a store that keeps nothing need not be flushed).
    var persists: Bool { get }
    /// The part's document, or nil when there is none.
    func read(_ part: HookStatePart) async throws -> [UInt8]?
    func write(_ part: HookStatePart, _ document: [UInt8]) async throws
}

/// State that lasts as long as the process (`replay`, `kubelua test`, and `run` without
/// `--state-dir`): reloads keep it, restarts do not.
public struct MemoryStateBackend: HookStateBackend {
    public init() {}
    public var persists: Bool { false }
    public func read(_ part: HookStatePart) async throws -> [UInt8]? { nil }
    public func write(_ part: HookStatePart, _ document: [UInt8]) async throws {}
}
