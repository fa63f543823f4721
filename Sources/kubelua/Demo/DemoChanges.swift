import FakeAPIServer

/// What the hooks changed on the demo's server: every label and annotation of a pod that is not
/// what the scenario gave it, and every Event (the scenario posts none). Pods are remembered as
/// the scenario created them, so any hooks' changes show, not only `kubelua.io/` ones.
struct DemoChanges {
    private var created: [String: (labels: [String: String], annotations: [String: String])] = [:]

    /// Remembers a pod as the scenario made it (labels and annotations it sets itself).
    mutating func scenarioMade(_ pod: FakePod) {
        created[pod.name] = (pod.labels, Self.annotations(pod))
    }

    /// One line per Event, then per pod whose labels or annotations differ from the scenario's.
    func lines(on server: FakeAPIServer, namespace: String) -> [String] {
        var lines: [String] = []
        for event in server.objects(.eventsV1, namespace: namespace) {
            let regarding = event["regarding"] as? [String: Any] ?? [:]
            lines.append("Event \(event["type"] ?? "") \(event["reason"] ?? "") on \(regarding["kind"] ?? "") \(regarding["name"] ?? ""): \(event["note"] ?? "")")
        }
        for pod in server.pods.filter({ $0.namespace == namespace }).sorted(by: { $0.name < $1.name }) {
            let before = created[pod.name] ?? ([:], [:])
            for (what, now, was) in [("labels", pod.labels, before.labels), ("annotations", Self.annotations(pod), before.annotations)] {
                let changed = Self.differences(now, was)
                if !changed.isEmpty { lines.append("Pod \(pod.name) \(what): \(changed.joined(separator: ", "))") }
            }
        }
        return lines
    }

    /// `key=value` for each key set or changed, `key-` for each removed (kubectl's notation).
    private static func differences(_ now: [String: String], _ was: [String: String]) -> [String] {
        let set = now.filter { was[$0.key] != $0.value }.map { "\($0.key)=\($0.value)" }
        let removed = was.keys.filter { now[$0] == nil }.map { "\($0)-" }
        return (set + removed).sorted()
    }

    private static func annotations(_ pod: FakePod) -> [String: String] {
        (pod.object["metadata"] as? [String: Any])?["annotations"] as? [String: String] ?? [:]
    }
}
