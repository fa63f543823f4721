import Foundation

/// Where a hook's state document lives.
public protocol HookStateBackend: Sendable {
    /// Whether writes go anywhere (a store that keeps nothing need not be flushed).
    var persists: Bool { get }
    /// The document, or nil when there is none yet.
    func read() async throws -> [UInt8]?
    func write(_ document: [UInt8]) async throws
}

/// State that lasts as long as the process (`replay`, `kubelua test`, and `run` without
/// `--state-dir`): reloads keep it, restarts do not.
public struct MemoryStateBackend: HookStateBackend {
    public init() {}
    public var persists: Bool { false }
    public func read() async throws -> [UInt8]? { nil }
    public func write(_ document: [UInt8]) async throws {}
}

/// State in a file of `directory` per hook (`--state-dir`), named for the hook's path and
/// replaced atomically, so a crash leaves the previous or the new document, never half of one.
public struct FileStateBackend: HookStateBackend {
    public let path: String

    public var persists: Bool { true }

    public init(directory: String, hook: String) {
        path = directory + "/" + Self.name(for: hook) + ".json"
    }

    /// `kubelua-state-<short hash of the hook path>`, the name the state has wherever it is kept.
    public static func name(for hook: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in hook.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "kubelua-state-" + String(String(hash, radix: 16).suffix(10))
    }

    public func read() async throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    public func write(_ document: [UInt8]) async throws {
        try Data(document).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
