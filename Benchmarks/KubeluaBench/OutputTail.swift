import Foundation
import Synchronization

/// The last few kilobytes a child writes to a pipe (its stderr), read on a thread of its own:
/// what an error message quotes when the child fails.
final class OutputTail: Sendable {
    private let kept = Mutex(Data())
    private let ended = OneShot<Void>()
    private static let limit = 4096

    init(_ handle: FileHandle, name: String) {
        let thread = Thread { [self] in self.read(handle) }
        thread.name = name
        thread.start()
    }

    /// Everything kept, once the child has closed the pipe (it has exited): its last words
    /// are in.
    func final() async -> String {
        await ended.value()
        return kept.withLock { String(decoding: $0, as: UTF8.self) }.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func read(_ handle: FileHandle) {
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            kept.withLock { kept in
                kept.append(chunk)
                if kept.count > Self.limit { kept.removeFirst(kept.count - Self.limit) }
            }
        }
        ended.set(())
    }
}
