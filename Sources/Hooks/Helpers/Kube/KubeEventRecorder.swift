import Foundation
import Kube

/// Posts the Events hooks report with `kube.event`, as `events.k8s.io/v1` Events (core v1 Events
/// when the server has no such group), aggregating repeats the way client-go's recorder does:
/// the same event about the same object again within `window` is counted into the first one's
/// series (`series.count`, or `count` for core Events), and that count is written back at most
/// every `patchInterval`, so a crash loop costs one Event and a patch now and then, not
/// thousands of Events.
public actor KubeEventRecorder {
    public struct Occurrence: Sendable {
        public var regarding: KubeObjectRef
        public var type: String
        public var reason: String
        public var message: String
        public var action: String
        public var hook: String
    }

    struct Key: Hashable {
        var regarding: KubeObjectRef
        var type: String
        var reason: String
        var message: String
        var action: String
    }

    struct Series {
        var apiVersion: String
        var namespace: String
        var name: String
        var count: Int
        var lastSeen: ContinuousClock.Instant
        var lastWritten: ContinuousClock.Instant
        var object: [UInt8]
    }

    let window: Duration
    let patchInterval: Duration
    let reportingInstance: String
    private let now: @Sendable () -> ContinuousClock.Instant
    private let wallClock: @Sendable () -> Date
    private var series: [Key: Series] = [:]

    public init(
        window: Duration = .seconds(600), patchInterval: Duration = .seconds(30),
        reportingInstance: String = ProcessInfo.processInfo.hostName,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }, wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.window = window
        self.patchInterval = patchInterval
        self.reportingInstance = reportingInstance
        self.now = now
        self.wallClock = wallClock
    }

    /// Reports `event`: a new Event, or one more in the series of the same event.
    func record(_ event: Occurrence, backend: any KubeBackend, secondsLeft: Double?) async -> KubeOutcome {
        let instant = now()
        series = series.filter { instant - $0.value.lastSeen < window }
        let key = Key(regarding: event.regarding, type: event.type, reason: event.reason, message: event.message, action: event.action)
        guard var known = series[key] else { return await post(event, key: key, backend: backend, secondsLeft: secondsLeft) }
        known.count += 1
        known.lastSeen = instant
        if instant - known.lastWritten >= patchInterval {
            known.lastWritten = instant
            var call = KubeCall(verb: .patch, apiVersion: known.apiVersion, kind: "Event", namespace: known.namespace, name: known.name, hook: event.hook)
            call.patchType = .merge
            call.body = JSONObjects.bytes(seriesPatch(apiVersion: known.apiVersion, count: known.count))
            if case .object(let object) = await backend.perform(call, secondsLeft: secondsLeft) { known.object = object }
        }
        series[key] = known
        return .object(known.object)
    }

    private func post(_ event: Occurrence, key: Key, backend: any KubeBackend, secondsLeft: Double?) async -> KubeOutcome {
        var outcome = await backend.perform(create(event, apiVersion: "events.k8s.io/v1"), secondsLeft: secondsLeft)
        var apiVersion = "events.k8s.io/v1"
        if case .failure(let failure) = outcome, failure.status == 404, failure.reason == "NotFound" {
            apiVersion = "v1"
            outcome = await backend.perform(create(event, apiVersion: apiVersion), secondsLeft: secondsLeft)
        }
        if case .object(let object) = outcome {
            let name = JSONObjects.object(object)
                .flatMap { ($0["metadata"] as? [String: Any])?["name"] as? String } ?? ""
            let instant = now()
            series[key] = Series(
                apiVersion: apiVersion, namespace: event.regarding.namespace ?? "default", name: name, count: 1, lastSeen: instant,
                lastWritten: instant, object: object)
        }
        return outcome
    }

    /// The create call for one new Event in `apiVersion` (`events.k8s.io/v1` or core `v1`).
    func create(_ event: Occurrence, apiVersion: String) -> KubeCall {
        let namespace = event.regarding.namespace ?? "default"
        var regarding: [String: Any] = ["apiVersion": event.regarding.apiVersion, "kind": event.regarding.kind, "name": event.regarding.name]
        if let ns = event.regarding.namespace { regarding["namespace"] = ns }
        if let uid = event.regarding.uid { regarding["uid"] = uid }
        let metadata: [String: Any] = ["generateName": "\(event.regarding.name).", "namespace": namespace]
        let time = wallClock()
        var object: [String: Any] = ["apiVersion": apiVersion, "kind": "Event", "metadata": metadata, "type": event.type, "reason": event.reason]
        if apiVersion == "v1" {
            object["involvedObject"] = regarding
            object["message"] = event.message
            object["action"] = event.action
            object["count"] = 1
            object["firstTimestamp"] = Self.seconds(time)
            object["lastTimestamp"] = Self.seconds(time)
            object["source"] = ["component": "kubelua", "host": reportingInstance]
            object["reportingComponent"] = "kubelua"
            object["reportingInstance"] = reportingInstance
        } else {
            object["regarding"] = regarding
            object["note"] = event.message
            object["action"] = event.action
            object["eventTime"] = Self.microseconds(time)
            object["reportingController"] = "kubelua"
            object["reportingInstance"] = reportingInstance
        }
        var call = KubeCall(verb: .create, apiVersion: apiVersion, kind: "Event", namespace: namespace, name: nil, hook: event.hook)
        call.body = JSONObjects.bytes(object)
        return call
    }

    private func seriesPatch(apiVersion: String, count: Int) -> [String: Any] {
        let time = wallClock()
        if apiVersion == "v1" { return ["count": count, "lastTimestamp": Self.seconds(time)] }
        return ["series": ["count": count, "lastObservedTime": Self.microseconds(time)]]
    }


    static func seconds(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon).timeZone(separator: .omitted))
    }

    static func microseconds(_ date: Date) -> String {
        let whole = date.timeIntervalSince1970.rounded(.down)
        let micros = Int(((date.timeIntervalSince1970 - whole) * 1_000_000).rounded(.down))
        return String(seconds(Date(timeIntervalSince1970: whole)).dropLast()) + "." + String(format: "%06d", micros) + "Z"
    }
}
