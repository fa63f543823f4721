import Foundation

/// What a leader writes on its Lease with each renewal (the annotation `kubelua.io/checkpoint`):
/// for each watch, by namespace ("" for all namespaces), the resource version up to which every
/// event has been handled (or given up) by every hook and the hooks' state written. A replica
/// that takes over replays what it saw after it (docs/leader-election.md, "Checkpoints").
///
/// Resource versions are compared as integers: the API calls them opaque, but every
/// etcd-backed server hands out one increasing revision. A version that is not a number makes
/// no checkpoint, and a takeover falls back to the restart path.
public struct LeaseCheckpoint: Sendable, Equatable {
    public static let annotation = "kubelua.io/checkpoint"

    public var handledThrough: [String: UInt64]

    public init(handledThrough: [String: UInt64]) {
        self.handledThrough = handledThrough
    }

    /// Reads the annotation's value; nil when it is not a JSON object of numbers (as strings).
    public init?(annotation value: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(value.utf8)) as? [String: String] else { return nil }
        var through: [String: UInt64] = [:]
        for (watch, version) in object {
            guard let number = UInt64(version) else { return nil }
            through[watch] = number
        }
        handledThrough = through
    }

    /// `{"<namespace or empty>":"<resource version>",...}`, keys sorted.
    public var annotationValue: String {
        let object = handledThrough.mapValues(String.init)
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The one that has handled more of every watch: the greater version per watch.
    public func merged(with other: LeaseCheckpoint) -> LeaseCheckpoint {
        LeaseCheckpoint(handledThrough: handledThrough.merging(other.handledThrough, uniquingKeysWith: max))
    }
}
