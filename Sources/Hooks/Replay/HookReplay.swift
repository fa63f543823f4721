import Foundation
import Kube

/// `kubelua replay`: recorded events through the informer's cache and event logic and the
/// hooks' dispatch, in order, so the same recording always produces the same output.
public enum HookReplay {
    /// Loads every hook of `runtime` (load failures go to its environment, as in `run`), then
    /// replays each file in turn: a list's pods arrive as initial adds, watch events as the
    /// informer would deliver them. Returns once every handler has run.
    public static func run(files: [String], runtime: HookRuntime) async throws {
        try await runtime.loadAll()
        let cache = runtime.cache
        for file in files {
            for entry in try entries(of: file) {
                switch entry {
                case .list(let pods):
                    await runtime.dispatchInOrder(cache.update { $0.replace(with: pods, at: pods.last?.resourceVersion ?? "", initial: true) })
                case .event(let event):
                    await runtime.dispatchInOrder(cache.update { $0.apply(event) })
                }
            }
        }
        await runtime.waitUntilIdle()
    }

    /// Reads and parses one recording; errors name the file.
    static func entries(of file: String) throws(HookReplayError) -> [PodRecording.Entry] {
        guard let bytes = FileManager.default.contents(atPath: file) else { throw HookReplayError(message: "\(file): cannot read the file") }
        do {
            return try PodRecording.parse(Array(bytes))
        } catch {
            throw HookReplayError(message: "\(file): \(error)")
        }
    }
}

/// A recording that cannot be read or parsed.
public struct HookReplayError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
