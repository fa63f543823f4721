import Glibc
import Kube
import Selectors

/// `kubelua replay`: recorded events through the informer's cache and event logic and the
/// hooks' dispatch, in order, so the same recording always produces the same output.
public enum HookReplay {
    /// Loads every hook of `runtime` (load failures go to its environment, as in `run`), then
    /// replays each file in turn: a list's pods arrive as initial adds, watch events as the
    /// informer would deliver them, all at one instant of the runtime's clock, which must be a
    /// `VirtualClock`: retries and debounce windows come due as it is moved on at the end.
    /// With a `selector`, only pods with those labels are seen, as under `run -l` (see
    /// `SelectedRecording`). Returns once every handler has run.
    public static func run(
        files: [String], runtime: HookRuntime, advance: Duration = .zero, selector: LabelSelector = LabelSelector()
    ) async throws {
        guard let clock = runtime.environment.clock as? VirtualClock else {
            preconditionFailure("replay runs hooks on a VirtualClock (HookEnvironment.clock)")
        }
        // Every file is read first: a bad one is reported before any hook runs.
        var recordings: [[PodRecording.Entry]] = []
        for file in files { recordings.append(try entries(of: file)) }
        try await runtime.loadAll()
        let cache = runtime.cache
        var selection = SelectedRecording(selector: selector)
        for entry in recordings.joined() {
            switch selection.select(entry) {
            case .list(let pods):
                let kept = cache.admitted(pods)
                await runtime.dispatchInOrder(cache.update { $0.replace(with: kept, at: pods.last?.resourceVersion ?? "", initial: true) })
            case .event(let event):
                let kept = cache.admitted(event)
                await runtime.dispatchInOrder(cache.update { $0.apply(kept) })
            case nil: continue
            }
        }
        await runtime.waitUntilIdle()
        await runtime.settle(on: clock, advance: advance)
    }

    /// Reads and parses one recording; errors name the file, and the line and column.
    static func entries(of file: String) throws(HookReplayError) -> [PodRecording.Entry] {
        let bytes: [UInt8]
        do {
            bytes = try readFile(file)
        } catch {
            throw HookReplayError(message: "\(file): cannot read the file: \(error.message)")
        }
        let entries: [PodRecording.Entry]
        do {
            entries = try PodRecording.parse(bytes)
        } catch {
            throw HookReplayError(message: "\(file):\(error.line):\(error.column): \(error.message)")
        }
        if entries.isEmpty { throw HookReplayError(message: "\(file): no events") }
        return entries
    }

    /// The whole file, or the system's reason it cannot be read.
    private static func readFile(_ path: String) throws(HookReplayError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw HookReplayError(message: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw HookReplayError(message: String(cString: strerror(errno)))
            }
            bytes.append(contentsOf: chunk[..<count])
        }
    }
}

/// A recording that cannot be read or parsed.
public struct HookReplayError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
