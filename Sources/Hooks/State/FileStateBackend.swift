import Foundation

/// State in files of `directory` (`--state-dir`), one per part, named for the hook's path and
/// the part, each replaced atomically, so a crash leaves the previous or the new document,
/// never half of one.
public struct FileStateBackend: HookStateBackend {
    public let directory: String
    let hook: String

    public var persists: Bool { true }

    public init(directory: String, hook: String) {
        self.directory = directory
        self.hook = hook
    }

    public func path(of part: HookStatePart) -> String {
        directory + "/" + part.name(for: hook) + ".json"
    }

    public func read(_ part: HookStatePart) async throws -> [UInt8]? {
        let path = path(of: part)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    public func write(_ part: HookStatePart, _ document: [UInt8]) async throws {
        try Data(document).write(to: URL(fileURLWithPath: path(of: part)), options: .atomic)
    }
}
