extension PodEvent {
    /// One line for people: what happened, to which pod, its phase, the pod's own resource
    /// version (as hooks see it in `ctx.resource_version`), flags.
    /// `ADD     default/busybox  Pending  rv=1204  initial`
    public var summary: String {
        var phase = pod.phase ?? "-"
        if kind == .update, let before = old?.phase, before != pod.phase { phase = "\(before)->\(phase)" }
        var line = "\(kind.rawValue.uppercased().padding(6)) \(pod.key)  \(phase)  rv=\(pod.resourceVersion)"
        if initial { line += "  initial" }
        if tombstone { line += "  tombstone" }
        return line
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
