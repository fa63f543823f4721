import Synchronization
import Testing

@testable import Hooks

/// Background writes of a hook's state: a burst of handler calls is one writer, which writes
/// until nothing is left, not a task per call.
@Suite struct HookStateWriterTests {
    /// A backend whose writes wait until the test lets them through, and that records them.
    final class GatedBackend: HookStateBackend {
        private let state = Mutex<(waiting: [CheckedContinuation<Void, Never>], open: Bool)>(([], false))
        private let writes: AsyncStream<String>.Continuation
        private let starts: AsyncStream<Void>.Continuation
        let written: AsyncStream<String>
        /// A write began (and waits, until `open`).
        let started: AsyncStream<Void>

        init() {
            (written, writes) = AsyncStream.makeStream()
            (started, starts) = AsyncStream.makeStream()
        }

        var persists: Bool { true }
        func read(_ part: HookStatePart) async throws -> [UInt8]? { nil }

        func write(_ part: HookStatePart, _ document: [UInt8]) async throws {
            starts.yield()
            await withCheckedContinuation { continuation in
                let open = state.withLock { state in
                    if !state.open { state.waiting.append(continuation) }
                    return state.open
                }
                if open { continuation.resume() }
            }
            writes.yield(String(decoding: document, as: UTF8.self))
        }

        /// Lets every write through, from now on.
        func open() {
            let waiting = state.withLock { state in
                state.open = true
                defer { state.waiting.removeAll() }
                return state.waiting
            }
            for continuation in waiting { continuation.resume() }
        }
    }

    @Test func aBurstOfChangesWhileAWriteIsUnderWayIsWrittenOnceAfterIt() async throws {
        let backend = GatedBackend()
        let store = HookStateStore(hook: "default/burst.lua", backend: backend)
        _ = try await store.load()
        let failures = Mutex(0)
        #expect(store.set("n", Array("0".utf8)) == nil)
        store.flushInBackground { _ in failures.withLock { $0 += 1 } }
        var started = backend.started.makeAsyncIterator()
        await started.next()
        // A hundred calls change the state while the first write waits: none starts a writer.
        for value in 1...100 {
            #expect(store.set("n", Array("\(value)".utf8)) == nil)
            store.flushInBackground { _ in failures.withLock { $0 += 1 } }
        }
        #expect(store.flushesWaiting == 0, "the burst left its changes to the writer under way")
        backend.open()
        var documents: [String] = []
        for await document in backend.written {
            documents.append(document)
            if document.contains("100") { break }
        }
        #expect(documents.count == 2, "the first change, then everything that came during its write: \(documents)")
        #expect(documents.first?.contains(#""n":0"#) == true)
        #expect(!store.isDirty && failures.withLock { $0 } == 0)
    }
}
