import FakeAPIServer
import Foundation
import Synchronization

/// In the server child: MODIFIED events at a fixed rate, each stamped with its send time.
/// Event i is due at start + i/rate on the monotonic clock; a late one goes out at once (the
/// schedule is absolute, so lateness does not add up). The stamp is the annotation
/// `HookScript.sentAnnotation`, rewritten in place by `FakeAPIServer.touch(rewriting:)` under
/// the store's lock just before the event goes to the watches: the latency a hook measures
/// starts there, and `stampToPublish` says how long the server took from stamp to published.
final class PacedStream: Sendable {
    struct Outcome: Sendable {
        var sent = 0
        var lastVersion = 0
        /// From the first event's due time to the last one's publication.
        var seconds = 0.0
        /// Nanoseconds from the stamp to the event being published to the watches.
        var stampToPublish: [Int64] = []
        /// Each event sent: the pod's index, the version it made and its stamp.
        var events: [(pod: Int, version: Int, stamp: Int64)] = []
        var failure: String?
    }

    private let stopped = Atomic(false)
    private let done = OneShot<Outcome>()

    init(server: FakeAPIServer, pods: [ServedPod], rate: Int, count: Int) {
        let thread = Thread { [self] in done.set(self.send(server: server, pods: pods, rate: rate, count: count)) }
        thread.name = "kubelua-bench-paced-stream"
        thread.start()
    }

    /// Ends the stream after the event being sent.
    func stop() { stopped.store(true, ordering: .relaxed) }

    func outcome() async -> Outcome { await done.value() }

    private func send(server: FakeAPIServer, pods: [ServedPod], rate: Int, count: Int) -> Outcome {
        var outcome = Outcome()
        outcome.stampToPublish.reserveCapacity(min(count, 1 << 20))
        outcome.events.reserveCapacity(min(count, 1 << 20))
        let interval = 1_000_000_000 / Int64(max(1, rate))
        let start = MonotonicClock.nanoseconds()
        for i in 0..<count where !stopped.load(ordering: .relaxed) {
            MonotonicClock.sleep(until: start + Int64(i) * interval)
            let index = i % pods.count, pod = pods[index]
            var stamp: Int64 = 0
            do {
                let modified = try server.touch(namespace: pod.namespace, name: pod.name, rewriting: HookScript.sentAnnotation) {
                    stamp = MonotonicClock.nanoseconds()
                    return Self.stamp(stamp)
                }
                outcome.stampToPublish.append(MonotonicClock.nanoseconds() - stamp)
                outcome.lastVersion = Int(modified.resourceVersion) ?? 0
                outcome.events.append((index, outcome.lastVersion, stamp))
                outcome.sent += 1
            } catch {
                outcome.failure = "modifying \(pod.namespace)/\(pod.name): \(error)"
                break
            }
        }
        outcome.seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
        return outcome
    }

    /// A stamp as the annotation holds it: fixed width (19 digits, as Int64 nanoseconds need),
    /// so rewriting it keeps the pod's length.
    static func stamp(_ nanoseconds: Int64) -> String {
        let digits = String(nanoseconds)
        return String(repeating: "0", count: max(0, 19 - digits.count)) + digits
    }
}
