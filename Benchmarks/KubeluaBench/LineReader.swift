import Foundation
import Synchronization

/// The lines arriving on a pipe (the server child's stdout in the parent, stdin in the child),
/// read by a thread of its own so that no task ever blocks on the pipe. One reader awaits
/// `next()` at a time; it returns nil once the other end is closed and every line is taken.
/// Each line keeps the monotonic time it was read at (`nextStamped()`).
final class LineReader: Sendable {
    typealias Stamped = (line: String, at: Int64)

    private struct State {
        var lines: [Stamped] = []
        var ended = false
        var waiter: CheckedContinuation<Stamped?, Never>?
    }

    private let state = Mutex(State())

    init(_ handle: FileHandle, name: String) {
        let thread = Thread { [self] in self.read(handle) }
        thread.name = name
        thread.start()
    }

    func next() async -> String? { await nextStamped()?.line }

    /// The next line and when it came off the pipe (`MonotonicClock`).
    func nextStamped() async -> Stamped? {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                precondition(state.waiter == nil, "LineReader: one reader at a time")
                if !state.lines.isEmpty {
                    continuation.resume(returning: state.lines.removeFirst())
                } else if state.ended {
                    continuation.resume(returning: nil)
                } else {
                    state.waiter = continuation
                }
            }
        }
    }

    private func read(_ handle: FileHandle) {
        var pending = Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                deliver((String(decoding: pending[pending.startIndex..<newline], as: UTF8.self), MonotonicClock.nanoseconds()))
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
        state.withLock { state in
            state.ended = true
            state.waiter?.resume(returning: nil)
            state.waiter = nil
        }
    }

    private func deliver(_ line: Stamped) {
        state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                waiter.resume(returning: line)
            } else {
                state.lines.append(line)
            }
        }
    }
}
