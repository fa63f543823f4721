/// The pod status: phase Running, conditions, IPs, container statuses.
extension PodGenerator.Generator {
    mutating func status(containers: [Container], day: Int, created: String) -> String {
        let started = r.timestamp(day: day)
        let ready = r.chance(0.85)
        var conditionTypes = ["Initialized", "Ready", "ContainersReady", "PodScheduled"]
        if r.chance(0.5) { conditionTypes.insert("PodReadyToStartContainers", at: 0) }
        let conditions = conditionTypes.map { type in
            J.obj([("type", J.str(type)), ("status", J.str(type.hasSuffix("Ready") && !ready ? "False" : "True")),
                   ("lastProbeTime", J.null), ("lastTransitionTime", J.str(type == "PodScheduled" ? created : started))])
        }
        let ip = "10.244.\(r.int(0...255)).\(r.int(1...254))"
        let host = "10.0.\(r.int(0...15)).\(r.int(1...254))"
        let statuses = containers.map { c in
            let restarts = r.chance(0.8) ? 0 : r.int(1...12)
            let last = restarts == 0 ? J.empty : J.obj([("terminated", J.obj([
                ("exitCode", J.num(r.pick([1, 137, 143]))), ("reason", J.str(r.pick(["Error", "OOMKilled"]))),
                ("startedAt", J.str(created)), ("finishedAt", J.str(started)),
                ("containerID", J.str("containerd://\(r.hex(64))")),
            ]))])
            return J.obj([
                ("name", J.str(c.name)),
                ("state", J.obj([("running", J.obj([("startedAt", J.str(started))]))])),
                ("lastState", last),
                ("ready", J.bool(ready)), ("restartCount", J.num(restarts)),
                ("image", J.str(c.image)), ("imageID", J.str("\(c.image.split(separator: ":")[0])@sha256:\(r.hex(64))")),
                ("containerID", J.str("containerd://\(r.hex(64))")), ("started", J.bool(true)),
            ])
        }
        return J.obj([
            ("phase", J.str("Running")),
            ("conditions", J.arr(conditions)),
            ("hostIP", J.str(host)), ("hostIPs", J.arr([J.obj([("ip", J.str(host))])])),
            ("podIP", J.str(ip)), ("podIPs", J.arr([J.obj([("ip", J.str(ip))])])),
            ("startTime", J.str(created)),
            ("containerStatuses", J.arr(statuses)),
            ("qosClass", J.str(r.pick(["Burstable", "Burstable", "Guaranteed", "BestEffort"]))),
        ])
    }
}
