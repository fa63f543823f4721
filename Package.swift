// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "kubelua",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Lua", targets: ["Lua"]),
        .library(name: "Kube", targets: ["Kube"]),
        .library(name: "FakeAPIServer", targets: ["FakeAPIServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Lua 5.4 from Debian, and the C shim the bridge needs.
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // Byte-level JSON scanning shared by the Lua bridge and the informer (neither imports the other).
        .target(name: "JSONBytes", dependencies: ["CJSONBlocks"]),
        // 64 bytes of JSON classified at once (SSE2 where there is), for the bracket counter.
        .target(name: "CJSONBlocks"),
        // Label selectors (parsing and matching) for the informer's cache and the hooks. The fake
        // API server has its own, written apart, so that it checks these rather than mirrors them.
        .target(name: "Selectors"),
        // The Swift bridge to Lua and the sandbox scripts run in.
        .target(
            name: "Lua",
            dependencies: [
                "JSONBytes",
                "CLua",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Kubernetes access: kubeconfig, in-cluster config, client, informer.
        .target(
            name: "Kube",
            dependencies: [
                "JSONBytes",
                "Selectors",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                // Connection and parser errors, which failures are described from.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The hook runtime: loads scripts per namespace folder, routes pod events to them,
        // gives them helpers. It joins the Lua bridge and the Kubernetes client.
        .target(
            name: "Hooks",
            dependencies: [
                "Lua",
                "Kube",
                "Selectors",
                // Projections: what a hook declares it reads, shown to it and kept by the cache.
                "JSONBytes",
                // NIO types the http helper uses directly (buffers, headers, connection errors).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // Built-in and hook-defined metrics, and their Prometheus text exposition.
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // Process-wide settings of a long-running kubelua process (the allocator's tunables).
        .target(name: "ProcessTuning"),
        // The command-line tool: the only place that bootstraps logging.
        .executableTarget(
            name: "kubelua",
            dependencies: [
                "Kube",
                "Hooks",
                // Label selectors given on the command line (replay -l), parsed before any hook runs.
                "Selectors",
                "LuaStubs",
                "ProcessTuning",
                "FakeAPIServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // The only place that bootstraps the global MetricsSystem.
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // `kubelua stubs`: LuaLS annotations for hooks, the Pod's types generated from the
        // committed Kubernetes schema (`make kubernetes-schema`).
        .target(name: "LuaStubs"),
        // A fake Kubernetes API server for tests, the demo and the benchmark.
        .target(
            name: "FakeAPIServer",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "json-bench",
            dependencies: ["Lua", "CLua", "FakeAPIServer", "BenchSupport"],
            path: "Benchmarks/JSONBench"
        ),
        // What both benchmarks share: running the lua5.4 + lua-cjson reference.
        .target(name: "BenchSupport", path: "Benchmarks/Support"),
        .executableTarget(
            name: "stage-bench",
            dependencies: ["Hooks", "Kube", "Lua", "FakeAPIServer"],
            path: "Benchmarks/StageBench"
        ),
        // The pipeline benchmark: fake server → informer → hooks, beside lua5.4 + cjson.
        .executableTarget(
            name: "kubelua-bench",
            dependencies: [
                "Hooks", "Kube", "FakeAPIServer", "Lua", "BenchSupport", "ProcessTuning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // The reload figure runs the real HookDaemon, stopped by graceful shutdown.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/KubeluaBench"
        ),
        .testTarget(name: "LuaTests", dependencies: ["Lua", "CLua", "JSONBytes", "FakeAPIServer", "LuaGate", "ContainerIndexOracle"]),
        // `wait(label)` that a test releases, for scripts that wait on a helper.
        .target(name: "LuaGate", dependencies: ["Lua"], path: "Tests/Support/LuaGate"),
        // Certificates made with the openssl CLI for TLS tests: test support, not in the product.
        .target(name: "TestCertificates", dependencies: ["Kube"], path: "Tests/Support/TestCertificates"),
        // The container index of a JSON text by a plain bracket count, which tests hold the
        // framer's and the scanner's indexes against.
        .target(name: "ContainerIndexOracle", dependencies: ["JSONBytes"], path: "Tests/Support/ContainerIndexOracle"),
        // A strict parser of the Prometheus text format, for tests that scrape /metrics.
        .target(name: "PrometheusText", path: "Tests/Support/PrometheusText"),
        // A raw HTTP/1.1 client that shows chunk boundaries and how a response ended, for tests
        // that check the fake API server on the wire: test support, not in the product.
        .target(
            name: "FakeAPIClient",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/Support/FakeAPIClient"
        ),
        .testTarget(
            name: "KubeTests",
            dependencies: [
                "Kube", "FakeAPIServer", "FakeAPIClient", "Selectors", "TestCertificates", "ContainerIndexOracle",
                // The block classifier's SSE2 and portable versions, held against each other.
                "CJSONBlocks",
                // The leader elector runs as a service, stopped by graceful shutdown.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The fake API server's own tests: its store, selectors, patches, faults and access
        // rules, over real HTTP with the wire client.
        .testTarget(
            name: "FakeAPIServerTests",
            dependencies: ["FakeAPIServer", "FakeAPIClient", "TestCertificates", "Kube"]
        ),
        // The benchmark's own logic (what a failover did to the events), not its figures.
        .testTarget(name: "KubeluaBenchTests", dependencies: ["kubelua-bench"]),
        .testTarget(name: "CommandTests", dependencies: ["kubelua", "Kube", "FakeAPIServer", "FakeAPIClient", "PrometheusText", "ProcessTuning", "LuaStubs"]),
        .testTarget(
            name: "HooksTests",
            dependencies: [
                "Hooks", "Lua", "Kube", "JSONBytes", "FakeAPIServer", "TestCertificates", "PrometheusText", "LuaGate", "ContainerIndexOracle",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
    ]
)
