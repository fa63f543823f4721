/// The pod spec: volumes, containers, tolerations.
extension PodGenerator.Generator {
    mutating func spec(containers: [Container], namespace: String) -> String {
        let volumeName = "kube-api-access-\(r.alnum(5))"
        var volumes = [J.obj([("name", J.str(volumeName)), ("projected", J.obj([
            ("defaultMode", J.num(420)),
            ("sources", J.arr([
                J.obj([("serviceAccountToken", J.obj([("expirationSeconds", J.num(3607)), ("path", J.str("token"))]))]),
                J.obj([("configMap", J.obj([("name", J.str("kube-root-ca.crt")), ("items", J.arr([J.obj([("key", J.str("ca.crt")), ("path", J.str("ca.crt"))])]))]))]),
                J.obj([("downwardAPI", J.obj([("items", J.arr([J.obj([("path", J.str("namespace")), ("fieldRef", J.obj([("apiVersion", J.str("v1")), ("fieldPath", J.str("metadata.namespace"))]))])]))]))]),
            ])),
        ]))])]
        if r.chance(0.5) {
            volumes.append(J.obj([("name", J.str("config")), ("configMap", J.obj([("name", J.str("\(namespace)-config")), ("defaultMode", J.num(420))]))]))
        }
        if r.chance(0.3) {
            volumes.append(J.obj([("name", J.str("scratch")), ("emptyDir", J.obj([("sizeLimit", J.str("\(r.int(1...8))Gi"))]))]))
        }
        var fields = [
            ("volumes", J.arr(volumes)),
            ("containers", J.arr(containers.enumerated().map { container(index: $0.offset, $0.element, volumeName: volumeName) })),
            ("restartPolicy", J.str("Always")),
            ("terminationGracePeriodSeconds", J.num(r.pick([30, 30, 60, 120]))),
            ("dnsPolicy", J.str("ClusterFirst")),
            ("serviceAccountName", J.str(r.chance(0.7) ? "default" : "workload")),
            ("serviceAccount", J.str("default")),
            ("nodeName", J.str("node-\(r.pick(["a", "b", "c"]))-\(r.int(1...40))")),
            ("securityContext", r.chance(0.5) ? J.empty : J.obj([("runAsNonRoot", J.bool(true)), ("fsGroup", J.num(2000))])),
            ("schedulerName", J.str("default-scheduler")),
            ("tolerations", J.arr(tolerations())),
            ("priority", J.num(0)),
            ("enableServiceLinks", J.bool(true)),
            ("preemptionPolicy", J.str("PreemptLowerPriority")),
        ]
        if r.chance(0.3) { fields.append(("nodeSelector", J.obj([("kubernetes.io/os", J.str("linux"))]))) }
        return J.obj(fields)
    }

    mutating func tolerations() -> [String] {
        var items = ["not-ready", "unreachable"].map { key in
            J.obj([("key", J.str("node.kubernetes.io/\(key)")), ("operator", J.str("Exists")),
                   ("effect", J.str("NoExecute")), ("tolerationSeconds", J.num(300))])
        }
        if r.chance(0.3) {
            items.append(J.obj([("key", J.str("dedicated")), ("operator", J.str("Equal")), ("value", J.str("batch")), ("effect", J.str("NoSchedule"))]))
        }
        return items
    }

    mutating func container(index: Int, _ c: Container, volumeName: String) -> String {
        var env = [J.obj([("name", J.str("MODE")), ("value", J.str(r.pick(["production", "staging"])))]),
                   J.obj([("name", J.str("POD_IP")), ("valueFrom", J.obj([("fieldRef", J.obj([("apiVersion", J.str("v1")), ("fieldPath", J.str("status.podIP"))]))]))]),
                   J.obj([("name", J.str("POD_NAME")), ("valueFrom", J.obj([("fieldRef", J.obj([("apiVersion", J.str("v1")), ("fieldPath", J.str("metadata.name"))]))]))])]
        for i in 0..<r.int(0...(index == 0 ? 5 : 1)) {
            env.append(J.obj([("name", J.str("FEATURE_\(i)_ENABLED")), ("value", J.str(r.chance(0.5) ? "true" : "false"))]))
        }
        let cpu = r.pick([50, 100, 250, 500])
        let memory = r.pick([64, 128, 256, 512])
        var fields = [
            ("name", J.str(c.name)),
            ("image", J.str(c.image)),
            ("args", J.arr(["--port=\(c.ports[0].1)", "--log-level=\(r.pick(["info", "debug", "warn"]))"].map(J.str))),
            ("ports", J.arr(c.ports.map { J.obj([("name", J.str($0.0)), ("containerPort", J.num($0.1)), ("protocol", J.str("TCP"))]) })),
            ("env", J.arr(env)),
            ("resources", J.obj([
                ("limits", J.obj([("cpu", J.str("\(cpu * 2)m")), ("memory", J.str("\(memory * 2)Mi"))])),
                ("requests", J.obj([("cpu", J.str("\(cpu)m")), ("memory", J.str("\(memory)Mi"))])),
            ])),
            ("volumeMounts", J.arr([J.obj([("name", J.str(volumeName)), ("readOnly", J.bool(true)),
                                           ("mountPath", J.str("/var/run/secrets/kubernetes.io/serviceaccount"))])])),
            ("terminationMessagePath", J.str("/dev/termination-log")),
            ("terminationMessagePolicy", J.str("File")),
            ("imagePullPolicy", J.str(r.pick(["IfNotPresent", "Always"]))),
        ]
        if index == 0 {
            fields.append(("readinessProbe", J.obj([
                ("httpGet", J.obj([("path", J.str("/healthz")), ("port", J.num(c.ports[0].1)), ("scheme", J.str("HTTP"))])),
                ("initialDelaySeconds", J.num(r.int(0...10))), ("timeoutSeconds", J.num(1)), ("periodSeconds", J.num(10)),
                ("successThreshold", J.num(1)), ("failureThreshold", J.num(3)),
            ])))
        }
        return J.obj(fields)
    }
}
