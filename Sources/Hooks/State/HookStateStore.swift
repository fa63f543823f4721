import Foundation
import Kube
import Synchronization

/// What one hook remembers across reloads and restarts: the values its scripts keep with
/// `state.set` (JSON, at most `limit` bytes) and the last phase it was handed for each pod (by
/// `PodRecord.identity`: its UID), so `on_phase` fires once per real transition. Reads come from memory; changes mark
/// their part dirty (the values, or one shard of phase memory) and `flush` writes the dirty
/// parts to the backend after handler calls.
public final class HookStateStore: Sendable {
    /// A pod as remembered for `on_phase` and tombstones.
    public struct RememberedPod: Sendable, Equatable {
        public let namespace: String
        public let name: String
        public let phase: String

        /// What a tombstone delete carries for the pod remembered as `identity`: its name,
        /// namespace, uid (none, for a pod told apart by name) and last phase.
        func record(identity: String) -> PodRecord {
            let uid = identity.contains("/") ? "" : identity
            let field = { (name: String, value: String) in HookStateDocument.quoted(name) + [UInt8(ascii: ":")] + HookStateDocument.quoted(value) }
            let metadata = field("name", name) + [UInt8(ascii: ",")] + field("namespace", namespace) + [UInt8(ascii: ",")] + field("uid", uid)
            let json = Array(#"{"metadata":{"#.utf8) + metadata + Array(#"},"status":{"#.utf8) + field("phase", phase) + Array("}}".utf8)
            return PodRecord(key: PodKey(namespace: namespace, name: name), uid: uid, resourceVersion: "", phase: phase, json: json)
        }
    }

    struct Content {
        /// Each key's value as JSON text.
        var values: [String: [UInt8]] = [:]
        var phases = PhaseMemory()
        var valueBytes = 0
        /// When the hook's last schedule tick that ran was due (Unix seconds).
        var lastTick: Double?
        var valuesDirty = false
        /// The shard count the stored values document names: nil before it is written, or
        /// while it is a legacy document (with the phases in it).
        var storedShards: Int?
        var loaded = false
        var writing = false
        /// A background writer is under way (`flushInBackground`).
        var backgroundWriter = false
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

    /// Reads the documents once (the values, then each phase shard they name); true when this
    /// call read them (the first start of the hook in this process). A document that cannot be
    /// read is an error for the caller to report; the store then starts empty. A legacy
    /// document's phases are marked to be written in shards by the next flush.
    public func load() async throws -> Bool {
        guard content.withLock({ state in defer { state.loaded = true }; return !state.loaded }) else { return false }
        guard let bytes = try await backend.read(.values) else { return true }
        let document = try HookStateDocument(parsing: bytes)
        var phases: PhaseMemory
        switch document.phases {
        case .sharded(let count):
            phases = PhaseMemory(shardCount: count)
            for shard in 0..<count {
                guard let bytes = try await backend.read(.phases(shard: shard)) else { continue }
                phases.load(shard: shard, try PhaseShardDocument.parsing(bytes, part: .phases(shard: shard)))
            }
        case .legacy(let pods):
            phases = PhaseMemory()
            for (uid, pod) in pods { phases[uid] = pod }
            phases.markAllDirty()
        }
        content.withLock { [phases] state in
            state.values = document.values
            state.lastTick = document.lastTick
            state.phases = phases
            state.valueBytes = document.values.reduce(0) { $0 + $1.key.utf8.count + $1.value.count }
            if case .sharded(let count) = document.phases { state.storedShards = count } else { state.valuesDirty = true }
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
            state.valuesDirty = true
            return nil
        }
    }

    public func delete(_ key: String) {
        content.withLock { state in
            guard let old = state.values.removeValue(forKey: key) else { return }
            state.valueBytes -= key.utf8.count + old.count
            state.valuesDirty = true
        }
    }

    /// When the last schedule tick that ran was due (Unix seconds), as written before a restart or
    /// by the leader before a takeover: a tick missed since runs once when the hook starts.
    public var lastTick: Double? {
        get { content.withLock { $0.lastTick } }
        set { content.withLock { $0.lastTick = newValue; $0.valuesDirty = true } }
    }

    /// Bytes `state.set` values hold now.
    public var used: Int { content.withLock { $0.valueBytes } }

    // MARK: Phases

    /// The phase last handed for the pod with this `PodRecord.identity`.
    public func phase(of identity: String) -> String? { content.withLock { $0.phases[identity]?.phase } }

    /// The hook has been handed `pod` in `phase` (nil: the pod is gone for it).
    public func remember(_ pod: PodRecord, phase: String?) {
        content.withLock { state in
            state.phases[pod.identity] = phase.map { RememberedPod(namespace: pod.key.namespace, name: pod.key.name, phase: $0) }
        }
    }

    /// The pods remembered in `scope` that are not `present` (by identity, and the remembered
    /// pod): deleted while nobody watched. They are forgotten once their tombstones are handled
    /// (`remember(_, nil)`).
    public func missing(
        in scope: HookScope, present: (_ identity: String, _ pod: RememberedPod) -> Bool
    ) -> [(identity: String, pod: RememberedPod)] {
        content.withLock { state in state.phases.all.filter { scope.contains(namespace: $0.pod.namespace) } }
            .map { (identity: $0.uid, pod: $0.pod) }
            .filter { !present($0.identity, $0.pod) }
            .sorted { ($0.pod.namespace, $0.pod.name) < ($1.pod.namespace, $1.pod.name) }
    }

    // MARK: Writing

    /// Writes the parts that changed; a write under way is waited for first, so when this
    /// returns, every change made before it was called is written (or its error is returned;
    /// what was not written stays dirty, so the next flush tries again). Shards the stored values
    /// document does not name yet are written first, then the values document (with the shard
    /// count), then the other changed shards: a write that stops half way leaves the values
    /// document naming shards written in its layout, and after a re-spread, old shards hold
    /// only entries that `PhaseMemory.load` knows to drop.
    @discardableResult
    public func flush() async -> (any Error)? {
        while true {
            enum Next { case write([(part: HookStatePart, document: [UInt8])], shards: Int), wait, done, failed(any Error) }
            let next = content.withLock { state -> Next in
                if state.writing { return .wait }
                let shards: [(shard: Int, document: [UInt8])]
                do { shards = try state.phases.takeChanges() } catch { return .failed(error) }
                let count = state.phases.shardCount
                let writesValues = state.valuesDirty || (!shards.isEmpty && state.storedShards != count)
                guard writesValues || !shards.isEmpty else { return .done }
                state.valuesDirty = false
                state.writing = true
                let named = state.storedShards ?? 0
                let part = { (shard: (shard: Int, document: [UInt8])) in (part: HookStatePart.phases(shard: shard.shard), shard.document) }
                var parts = shards.filter { $0.shard >= named }.map(part)
                if writesValues { parts.append((.values, HookStateDocument.encoded(values: state.values, phaseShards: count, lastTick: state.lastTick))) }
                parts += shards.filter { $0.shard < named }.map(part)
                return .write(parts, shards: count)
            }
            switch next {
            case .done:
                return nil
            case .failed(let error):
                return error
            case .wait:
                await withCheckedContinuation { continuation in
                    let ended = content.withLock { state in
                        if !state.writing { return true }
                        state.writeWaiters.append(continuation)
                        return false
                    }
                    if ended { continuation.resume() }
                }
            case .write(let parts, let shards):
                var written = 0
                var failure: (any Error)?
                for (part, document) in parts {
                    do { try await backend.write(part, document) } catch {
                        failure = error
                        break
                    }
                    written += 1
                }
                let waiters = content.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.writing = false
                    if parts[..<written].contains(where: { $0.part == .values }) { state.storedShards = shards }
                    for (part, _) in parts[written...] {
                        switch part {
                        case .values: state.valuesDirty = true
                        case .phases(let shard): state.phases.markDirty(shard)
                        }
                    }
                    defer { state.writeWaiters.removeAll() }
                    return state.writeWaiters
                }
                for waiter in waiters { waiter.resume() }
                if let failure { return failure }
            }
        }
    }

    /// Writes the changes in the background, one writer at a time: a request made while one is
    /// under way leaves the changes to it (it writes until none is left), so a burst of handler
    /// calls is one writer, not a task per call. A failed write goes to `report`; its changes
    /// stay marked and go with the next request.
    public func flushInBackground(report: @escaping @Sendable (any Error) -> Void) {
        guard content.withLock({ state in
            guard !state.backgroundWriter else { return false }
            state.backgroundWriter = true
            return true
        }) else { return }
        Task {
            while true {
                if let error = await flush() {
                    content.withLock { $0.backgroundWriter = false }
                    return report(error)
                }
                let finished = content.withLock { state in
                    guard !state.valuesDirty, state.phases.dirty.isEmpty else { return false }
                    state.backgroundWriter = false
                    return true
                }
                if finished { return }
            }
        }
    }

    /// Flushes waiting for the write under way (a background writer is one at most).
    var flushesWaiting: Int { content.withLock { $0.writeWaiters.count } }

    /// Whether changes wait to be written.
    public var isDirty: Bool { content.withLock { $0.valuesDirty || !$0.phases.dirty.isEmpty } }
}
