/// Deterministic generator of realistic Kubernetes pod JSON (about 6 KB each), for benchmarks
/// and tests. Every index gives a different but reproducible pod: names, labels, annotations,
/// managedFields blobs, one or two containers (a quarter have a sidecar), env, ports, resources,
/// volumes, tolerations and a status with conditions and container statuses. The output is
/// compact (no newlines), as the API server sends it.
///
/// Self-contained on purpose (no Foundation, no dependencies), so it can move to a shared
/// test-support library as is.
struct PodFixture {
    let seed: UInt64

    init(seed: UInt64 = 0x6B75_6265_6C75_6121) {
        self.seed = seed
    }

    func bytes(_ index: Int) -> [UInt8] {
        Array(document(index).utf8)
    }

    func document(_ index: Int) -> String {
        var g = Generator(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
        return g.pod(index: index)
    }
}

extension PodFixture {
    /// SplitMix64: tiny, fast and good enough to vary fixtures.
    struct Random {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func int(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(next() % UInt64(range.count))
        }

        mutating func chance(_ probability: Double) -> Bool {
            Double(next() >> 11) / Double(1 << 53) < probability
        }

        mutating func pick<T>(_ items: [T]) -> T {
            items[int(0...(items.count - 1))]
        }

        mutating func hex(_ count: Int) -> String {
            let digits = Array("0123456789abcdef")
            return String((0..<count).map { _ in digits[int(0...15)] })
        }

        mutating func alnum(_ count: Int) -> String {
            let letters = Array("bcdfghjklmnpqrstvwxz2456789")
            return String((0..<count).map { _ in letters[int(0...(letters.count - 1))] })
        }

        mutating func uuid() -> String {
            "\(hex(8))-\(hex(4))-4\(hex(3))-\(pick(["8", "9", "a", "b"]))\(hex(3))-\(hex(12))"
        }

        mutating func timestamp(day: Int) -> String {
            let pad = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
            return "2024-\(pad(1 + day / 28 % 12))-\(pad(1 + day % 28))T\(pad(int(0...23))):\(pad(int(0...59))):\(pad(int(0...59)))Z"
        }
    }

    /// Minimal JSON text builders: values are already-encoded JSON fragments.
    enum J {
        static func str(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case _ where scalar.value < 0x20:
                    out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }

        static func obj(_ fields: [(String, String)]) -> String {
            "{" + fields.map { str($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
        }

        static func arr(_ items: [String]) -> String {
            "[" + items.joined(separator: ",") + "]"
        }

        static let empty = "{}"
        static let null = "null"

        static func bool(_ b: Bool) -> String { b ? "true" : "false" }
        static func num(_ n: Int) -> String { String(n) }
    }

    struct Container {
        var name: String
        var image: String
        var ports: [(String, Int)]
    }

    struct Generator {
        var r: Random

        init(seed: UInt64) {
            r = Random(state: seed)
        }

        static let apps = ["web", "api", "worker", "cache", "gateway", "billing", "search", "auth", "ingest", "scheduler",
                           "checkout", "catalog", "notifier", "reporting"]
        static let namespaces = ["default", "shop", "payments", "platform", "data", "observability", "edge"]
        static let teams = ["storefront", "core", "sre", "data-eng", "growth"]
        static let sidecars = [("istio-proxy", "docker.io/istio/proxyv2:1.20.3", 15090),
                               ("log-shipper", "fluent/fluent-bit:2.2.2", 2020),
                               ("envoy", "envoyproxy/envoy:v1.29.1", 9901)]

        mutating func pod(index: Int) -> String {
            let app = r.pick(Self.apps)
            let namespace = r.pick(Self.namespaces)
            let hash = r.alnum(10)
            let name = "\(app)-\(hash)-\(r.alnum(5))"
            let day = r.int(0...330)
            let created = r.timestamp(day: day)
            let replicaSetUID = r.uuid()
            let version = "\(r.int(1...3)).\(r.int(0...40)).\(r.int(0...9))"
            var containers = [Container(
                name: app,
                image: "registry.example.com/\(namespace)/\(app):\(version)",
                ports: r.chance(0.6) ? [("http", 8080), ("metrics", 9090)] : [("http", 8080 + r.int(0...10))]
            )]
            if r.chance(0.25) {
                let sidecar = r.pick(Self.sidecars)
                containers.append(Container(name: sidecar.0, image: sidecar.1, ports: [("admin", sidecar.2)]))
            }

            let metadata = J.obj([
                ("name", J.str(name)),
                ("generateName", J.str("\(app)-\(hash)-")),
                ("namespace", J.str(namespace)),
                ("uid", J.str(r.uuid())),
                ("resourceVersion", J.str(String(r.int(100_000...99_999_999)))),
                ("creationTimestamp", J.str(created)),
                ("labels", labels(app: app, hash: hash, version: version)),
                ("annotations", annotations(app: app, version: version, created: created)),
                ("ownerReferences", J.arr([J.obj([
                    ("apiVersion", J.str("apps/v1")), ("kind", J.str("ReplicaSet")),
                    ("name", J.str("\(app)-\(hash)")), ("uid", J.str(replicaSetUID)),
                    ("controller", J.bool(true)), ("blockOwnerDeletion", J.bool(true)),
                ])])),
                ("managedFields", managedFields(containers: containers, replicaSetUID: replicaSetUID, created: created, day: day)),
            ])
            let spec = self.spec(containers: containers, namespace: namespace)
            let status = self.status(containers: containers, day: day, created: created)
            return J.obj([("kind", J.str("Pod")), ("apiVersion", J.str("v1")), ("metadata", metadata), ("spec", spec), ("status", status)])
        }

        mutating func labels(app: String, hash: String, version: String) -> String {
            var fields = [("app", J.str(app)), ("app.kubernetes.io/name", J.str(app)),
                          ("app.kubernetes.io/version", J.str(version)), ("pod-template-hash", J.str(hash)),
                          ("team", J.str(r.pick(Self.teams)))]
            if r.chance(0.5) { fields.append(("tier", J.str(r.pick(["frontend", "backend", "batch"])))) }
            if r.chance(0.3) { fields.append(("security.istio.io/tlsMode", J.str("istio"))) }
            return J.obj(fields)
        }

        mutating func annotations(app: String, version: String, created: String) -> String {
            var fields = [("prometheus.io/scrape", J.str("true")), ("prometheus.io/port", J.str("9090")),
                          ("kubectl.kubernetes.io/restartedAt", J.str(created))]
            if r.chance(0.3) {
                // The classic escaped-JSON-in-a-string annotation.
                let applied = J.obj([("apiVersion", J.str("apps/v1")), ("kind", J.str("Deployment")),
                                     ("metadata", J.obj([("name", J.str(app)), ("labels", J.obj([("app", J.str(app))]))])),
                                     ("spec", J.obj([("replicas", J.num(r.int(1...6)))]))])
                fields.append(("kubectl.kubernetes.io/last-applied-configuration", J.str(applied + "\n")))
            }
            if r.chance(0.2) {
                fields.append(("example.com/owner", J.str(r.pick(["Zoë Müller", "José Peña", "Ingrid Ødegård", "李雷"]))))
            }
            return J.obj(fields)
        }

        mutating func managedFields(containers: [Container], replicaSetUID: String, created: String, day: Int) -> String {
            let containerFields = containers.map { container in
                ("k:{\"name\":\"\(container.name)\"}", J.obj([
                    (".", J.empty), ("f:image", J.empty), ("f:imagePullPolicy", J.empty), ("f:name", J.empty),
                    ("f:env", J.obj([(".", J.empty), ("k:{\"name\":\"MODE\"}", J.obj([(".", J.empty), ("f:name", J.empty), ("f:value", J.empty)]))])),
                    ("f:ports", J.obj([(".", J.empty)] + container.ports.map { port in
                        ("k:{\"containerPort\":\(port.1),\"protocol\":\"TCP\"}", J.obj([(".", J.empty), ("f:containerPort", J.empty), ("f:name", J.empty), ("f:protocol", J.empty)]))
                    })),
                    ("f:resources", J.obj([(".", J.empty), ("f:limits", J.obj([(".", J.empty), ("f:cpu", J.empty), ("f:memory", J.empty)])),
                                           ("f:requests", J.obj([(".", J.empty), ("f:cpu", J.empty), ("f:memory", J.empty)]))])),
                    ("f:terminationMessagePath", J.empty), ("f:terminationMessagePolicy", J.empty),
                ]))
            }
            let controller = J.obj([
                ("manager", J.str("kube-controller-manager")), ("operation", J.str("Update")), ("apiVersion", J.str("v1")),
                ("time", J.str(created)), ("fieldsType", J.str("FieldsV1")),
                ("fieldsV1", J.obj([
                    ("f:metadata", J.obj([("f:generateName", J.empty),
                                          ("f:labels", J.obj([(".", J.empty), ("f:app", J.empty), ("f:pod-template-hash", J.empty)])),
                                          ("f:ownerReferences", J.obj([(".", J.empty), ("k:{\"uid\":\"\(replicaSetUID)\"}", J.empty)]))])),
                    ("f:spec", J.obj([("f:containers", J.obj(containerFields)), ("f:dnsPolicy", J.empty),
                                      ("f:restartPolicy", J.empty), ("f:schedulerName", J.empty), ("f:securityContext", J.empty)])),
                ])),
            ])
            let kubelet = J.obj([
                ("manager", J.str("kubelet")), ("operation", J.str("Update")), ("apiVersion", J.str("v1")),
                ("time", J.str(r.timestamp(day: day))), ("fieldsType", J.str("FieldsV1")), ("subresource", J.str("status")),
                ("fieldsV1", J.obj([("f:status", J.obj([
                    ("f:conditions", J.obj(["ContainersReady", "Initialized", "Ready"].map {
                        ("k:{\"type\":\"\($0)\"}", J.obj([(".", J.empty), ("f:lastProbeTime", J.empty), ("f:lastTransitionTime", J.empty), ("f:status", J.empty), ("f:type", J.empty)]))
                    })),
                    ("f:containerStatuses", J.empty), ("f:hostIP", J.empty), ("f:phase", J.empty), ("f:podIP", J.empty),
                    ("f:podIPs", J.obj([(".", J.empty), ("k:{\"ip\":\"10.244.1.7\"}", J.obj([(".", J.empty), ("f:ip", J.empty)]))])),
                    ("f:startTime", J.empty),
                ]))])),
            ])
            return J.arr([controller, kubelet])
        }

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
}
