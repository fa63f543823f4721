/// The pod document and its metadata (labels, annotations, owner, managedFields).
extension PodGenerator {
    struct Container {
        var name: String
        var image: String
        var ports: [(String, Int)]
    }

    struct Generator {
        // Visible to the extensions in the spec and status files.
        typealias J = PodGenerator.J
        typealias Container = PodGenerator.Container

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
    }
}
