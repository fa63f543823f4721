import BenchSupport
import Foundation

/// The optional peer: the Python `kubernetes` client's Watch with model objects (V1Pod), reading
/// the same kind of stream from the server child and running the same two reads per event.
/// The events are made first (touches, kept in the server's history) and the watch starts
/// from just before them, so the figure is the client's own pace. Skipped when
/// `import kubernetes` fails.
enum PythonPeer {
    struct Figures: Decodable {
        let seconds: Double
        let cpuSeconds: Double
        let events: Int
        let version: String

        var rate: Double { Double(events) / seconds }
        var cpuRate: Double { Double(events) / cpuSeconds }
    }

    enum Outcome {
        case measured(Figures)
        case unavailable(String)
    }

    static let script = """
        import json, sys, time
        try:
            import kubernetes
            from kubernetes import client, watch
        except ImportError as error:
            sys.stderr.write(str(error) + "\\n")
            sys.exit(3)
        host, resource_version, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
        configuration = client.Configuration()
        configuration.host = host
        api = client.CoreV1Api(client.ApiClient(configuration))
        seen = running = 0
        wall, cpu = time.perf_counter(), time.process_time()
        stream = watch.Watch()
        for event in stream.stream(api.list_pod_for_all_namespaces, resource_version=resource_version, timeout_seconds=600):
            pod = event["object"]
            name, phase = pod.metadata.name, pod.status.phase
            seen += 1
            if phase == "Running" and name is not None:
                running += 1
            if seen >= count:
                stream.stop()
                break
        print(json.dumps({"seconds": time.perf_counter() - wall, "cpuSeconds": time.process_time() - cpu,
                          "events": seen, "version": kubernetes.__version__}))
        """

    /// The first Python that imports `kubernetes`: the one in PATH, else Debian's (which
    /// `make bench` installs the client for, and which a pyenv or venv in PATH may shadow).
    static func interpreter() -> String? {
        ["python3", "/usr/bin/python3"].first { python in
            (try? ScriptProcess.run(python, script: "import kubernetes", arguments: []))?.status == 0
        }
    }

    /// `events` must fit in the server's history (10,000 events).
    static func run(_ context: BenchContext, events: Int) async throws -> Outcome {
        guard let python = interpreter() else { return .unavailable("not installed (python3 -c 'import kubernetes' failed)") }
        let before = try await context.server.version()
        _ = try await context.server.touch(events)
        let run = try ScriptProcess.run(python, script: script, arguments: [context.server.baseURL.absoluteString, String(before), String(events)])
        guard run.status == 0 else { throw BenchFailure("the Python peer failed (status \(run.status)): \(run.errors)") }
        let figures = try JSONDecoder().decode(Figures.self, from: run.output)
        guard figures.events == events else { throw BenchFailure("the Python peer saw \(figures.events) of \(events) events") }
        return .measured(figures)
    }
}
