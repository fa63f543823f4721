import FakeAPIClient
import FakeAPIServer
import Foundation
import PrometheusText
import Testing

/// `kubelua run --metrics-address`: the listener comes up on the address given, answers over
/// HTTP while the daemon runs, and stops with it.
@Suite(.timeLimit(.minutes(1)))
struct RunMetricsTests {
    @Test func theListenerServesMetricsAndHealthAndStopsOnSIGTERM() async throws {
        let server = FakeAPIServer()
        try await server.start()
        defer { Task { try? await server.shutdown() } }
        let folder = NSTemporaryDirectory() + "kubelua-metrics-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/default", withIntermediateDirectories: true)
        try "function on_add(pod) print('added ' .. pod.metadata.name) end".write(toFile: folder + "/default/h.lua", atomically: true, encoding: .utf8)
        let kubeconfig = try writeKubeconfig(in: folder, server: server)
        _ = try server.createPod(name: "p1")
        let process = try KubeluaProcess(
            ["run", "--hooks", folder, "--kubeconfig", kubeconfig, "--log-format", "json", "--metrics-address", "127.0.0.1:0"], readingErrors: true)
        var port: Int?
        var added = false
        for await line in process.lines {
            guard let record = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { continue }
            if record["message"] as? String == "serving /metrics, /healthz and /readyz", let address = record["address"] as? String {
                port = address.split(separator: ":").last.flatMap { Int($0) }
            }
            if record["message"] as? String == "added p1" { added = true }
            if port != nil, added { break }
        }
        let client = WireClient(port: try #require(port))
        let health = try await client.request("GET", "/healthz")
        #expect(health.status == 200)
        #expect(String(decoding: health.body, as: UTF8.self) == "ok\n")
        let metrics = try await client.request("GET", "/metrics")
        #expect(metrics.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
        let text = try PrometheusText(parsing: String(decoding: metrics.body, as: UTF8.self))
        // Counted before the event reached the hook, so already there when the hook has printed.
        #expect(text.value("kubelua_events_received_total", ["type": "add", "watch": "default"]) == 1)
        #expect(text.value("kubelua_build_info", ["version": "0.1.0"]) == 1)
        process.terminate()
        #expect(await process.exitStatus() == 0)
    }

    @Test func aBadAddressIsRefusedWithTheExpectedForm() async throws {
        let run = try await KubeluaProcess.run(["run", "--metrics-address", "9464"])
        #expect(run.status != 0)
        #expect(run.errors.contains("--metrics-address 9464: expected HOST:PORT or :PORT (a port from 0 to 65535), e.g. :9464"), "\(run.errors)")
    }
}
