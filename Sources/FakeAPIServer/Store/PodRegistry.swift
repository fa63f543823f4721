import Foundation
import NIOCore

/// The pods, the global resource version, and the history of changes that watches replay.
///
/// All state sits behind one lock, and watchers are fed while it is held: a watch that
/// registers, replays history and then receives live events can neither miss nor repeat one.
final class PodRegistry: Sendable {
    struct State {
        var pods: [NamespacedName: StoredPod] = [:]
        /// Keys in list order; rebuilt lazily after a create or delete.
        var sortedKeys: [NamespacedName]?
        var resourceVersion: UInt64
        var history = History()
        var watchers: [Int: WatchSubscription] = [:]
        var nextWatcherID = 0
    }

    let state: Locked<State>

    init(initialResourceVersion: UInt64, historyLimit: Int) {
        var state = State(resourceVersion: initialResourceVersion)
        state.history.limit = max(1, historyLimit)
        state.history.compactedThrough = initialResourceVersion
        self.state = Locked(state)
    }

    var currentResourceVersion: UInt64 {
        state.withLock { $0.resourceVersion }
    }

    func get(_ key: NamespacedName) -> StoredPod? {
        state.withLock { $0.pods[key] }
    }

    /// Every pod matching `filter`, in key order.
    func pods(matching filter: PodFilter = .everything) -> [StoredPod] {
        state.withLock { state in
            state.orderedKeys().compactMap { state.pods[$0] }.filter(filter.matches)
        }
    }
}

extension PodRegistry.State {
    mutating func orderedKeys() -> [NamespacedName] {
        if let sortedKeys { return sortedKeys }
        let keys = pods.keys.sorted()
        sortedKeys = keys
        return keys
    }

    /// Records a change: assigns the next resource version, encodes the object once, keeps the
    /// event in history and hands it to the watchers. An update that changes nothing returns
    /// the stored pod untouched, without a new version or event, as the real server does.
    mutating func commit(_ type: WatchEventType, object: [String: Any], previous: StoredPod?) -> StoredPod {
        let version = resourceVersion + 1
        var object = object
        var metadata = object["metadata"] as? [String: Any] ?? [:]
        metadata["resourceVersion"] = String(version)
        object["metadata"] = metadata
        let bytes = JSONCodec.encode(object)
        if type == .modified, let previous,
           ResourceVersionBytes.sameIgnoringResourceVersion(previous.json, previous.resourceVersion, bytes, version) {
            return previous
        }
        return append(type, bytes: bytes, previous: previous) { StoredPod(object: object, json: $0) }
    }

    /// Takes the next resource version for an already-encoded object (which must carry it),
    /// stores the record and publishes the event.
    mutating func append(_ type: WatchEventType, bytes: [UInt8], previous: StoredPod?,
                         record makeRecord: (ByteBuffer) -> StoredPod) -> StoredPod {
        resourceVersion += 1
        let encoded = EventLine.make(type, object: bytes)
        let record = makeRecord(encoded.object)
        if type == .deleted {
            pods[record.key] = nil
            sortedKeys = nil
        } else if pods.updateValue(record, forKey: record.key) == nil {
            sortedKeys = nil
        }
        let event = HistoryEvent(type: type, resourceVersion: resourceVersion, pod: record, previous: previous, line: encoded.line)
        publish(historyIndex: history.append(event))
        return record
    }
}
