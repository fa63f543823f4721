import Foundation
import Kube
import Synchronization

/// What one hook remembers across reloads and restarts: the values its scripts keep with
/// `state.set` (JSON, at most `limit` bytes) and the last phase it was handed for each pod (by
/// UID), so `on_phase` fires once per real transition. Reads come from memory; changes mark it
/// dirty and `flush` writes the whole document to the backend after handler calls.
public final class HookStateStore: Sendable {
    /// A pod as remembered for `on_phase` and tombstones.
    public struct RememberedPod: Sendable, Equatable {
        public let namespace: String
        public let name: String
        public let phase: String

        /// What a tombstone delete carries for the pod: its name, namespace, uid and last phase.
        func record(uid: String) -> PodRecord {
            let field = { (name: String, value: String) in HookStateDocument.quoted(name) + [UInt8(ascii: ":")] + HookStateDocument.quoted(value) }
            let metadata = field("name", name) + [UInt8(ascii: ",")] + field("namespace", namespace) + [UInt8(ascii: ",")] + field("uid", uid)
            let json = Array(#"{"metadata":{"#.utf8) + metadata + Array(#"},"status":{"#.utf8) + field("phase", phase) + Array("}}".utf8)
            return PodRecord(key: PodKey(namespace: namespace, name: name), uid: uid, resourceVersion: "", phase: phase, json: json)
        }
    }

    struct Content {
        /// Each key's value as JSON text.
        var values: [String: [UInt8]] = [:]
        var phases: [String: RememberedPod] = [:]
        var valueBytes = 0
        var dirty = false
        var loaded = false
        var writing = false
        /// Flushes waiting for the write under way to end.
        var writeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    public let hook: String
    let backend: any HookStateBackend
    /// What `state.set` may hold in all, keys and values.
    public static let limit = 900 * 1024
    private let content = Mutex(Content())

    public init(hook: String, backend: any HookStateBackend) {
        self.hook = hook
        self.backend = backend
    }

    /// Reads the document once; true when this call read it (the first start of the hook in
    /// this process). A document that cannot be read is an error for the caller to report; the
    /// store then starts empty.
    public func load() async throws -> Bool {
        guard content.withLock({ state in defer { state.loaded = true }; return !state.loaded }) else { return false }
        guard let bytes = try await backend.read() else { return true }
        let document = try HookStateDocument(parsing: bytes)
        content.withLock { state in
            state.values = document.values
            state.phases = document.phases
            state.valueBytes = document.values.reduce(0) { $0 + $1.key.utf8.count + $1.value.count }
        }
        return true
    }

    // MARK: state.*

    public func value(_ key: String) -> [UInt8]? { content.withLock { $0.values[key] } }

    public var keys: [String] { content.withLock { $0.values.keys.sorted() } }

    /// Sets `key` to the JSON text `value`; nil when it fits, else how much is used.
    public func set(_ key: String, _ value: [UInt8]) -> Int? {
        content.withLock { state in
            let old = state.values[key].map { key.utf8.count + $0.count } ?? 0
            let total = state.valueBytes - old + key.utf8.count + value.count
            guard total <= Self.limit else { return state.valueBytes }
            state.values[key] = value
            state.valueBytes = total
            state.dirty = true
            return nil
        }
    }

    public func delete(_ key: String) {
        content.withLock { state in
            guard let old = state.values.removeValue(forKey: key) else { return }
            state.valueBytes -= key.utf8.count + old.count
            state.dirty = true
        }
    }

    /// Bytes `state.set` values hold now.
    public var used: Int { content.withLock { $0.valueBytes } }

    // MARK: Phases

    public func phase(of uid: String) -> String? { content.withLock { $0.phases[uid]?.phase } }

    /// The hook has been handed `pod` in `phase` (nil: the pod is gone for it).
    public func remember(_ pod: PodRecord, phase: String?) {
        content.withLock { state in
            let before = state.phases[pod.uid]
            if let phase {
                let now = RememberedPod(namespace: pod.key.namespace, name: pod.key.name, phase: phase)
                guard before != now else { return }
                state.phases[pod.uid] = now
            } else {
                guard before != nil else { return }
                state.phases[pod.uid] = nil
            }
            state.dirty = true
        }
    }

    /// The pods remembered in `scope` that are not among `present` (by UID): deleted while
    /// nobody watched. They are forgotten once their tombstones are handled (`remember(_, nil)`).
    public func missing(in scope: HookScope, present: Set<String>) -> [(uid: String, pod: RememberedPod)] {
        content.withLock { state in
            state.phases.filter { scope.contains(namespace: $0.value.namespace) && !present.contains($0.key) }
                .map { (uid: $0.key, pod: $0.value) }.sorted { ($0.pod.namespace, $0.pod.name) < ($1.pod.namespace, $1.pod.name) }
        }
    }

    // MARK: Writing

    /// Writes the document if anything changed; a write under way is waited for first, so
    /// when this returns, every change made before it was called is written (or its error is
    /// returned; the store then stays dirty, so the next flush tries again).
    @discardableResult
    public func flush() async -> (any Error)? {
        while true {
            enum Next { case write([UInt8]), wait, done }
            let next = content.withLock { state -> Next in
                if state.writing { return .wait }
                guard state.dirty else { return .done }
                state.dirty = false
                state.writing = true
                return .write(HookStateDocument(values: state.values, phases: state.phases).encoded())
            }
            switch next {
            case .done:
                return nil
            case .wait:
                await withCheckedContinuation { continuation in
                    let ended = content.withLock { state in
                        if !state.writing { return true }
                        state.writeWaiters.append(continuation)
                        return false
                    }
                    if ended { continuation.resume() }
                }
            case .write(let document):
                var failure: (any Error)?
                do { try await backend.write(document) } catch { failure = error }
                let waiters = content.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.writing = false
                    if failure != nil { state.dirty = true }
                    defer { state.writeWaiters.removeAll() }
                    return state.writeWaiters
                }
                for waiter in waiters { waiter.resume() }
                if let failure { return failure }
            }
        }
    }

    /// Whether changes wait to be written.
    public var isDirty: Bool { content.withLock { $0.dirty } }
}
