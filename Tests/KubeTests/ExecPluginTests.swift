import Foundation
import Testing
@testable import Kube

@Suite("exec credential plugins", .timeLimit(.minutes(1)))
struct ExecPluginTests {
    let dir = TestDirectory()
    let log = LogCapture()
    let clock = TestClock()
    var file: String { dir.path("config") }

    /// 2023-11-14T22:13:20Z is the test clock's start; plugins below expire a minute later.
    static let expiry = "2023-11-14T22:14:20Z"

    /// Records its runs, arguments and environment next to itself, then prints a credential of
    /// apiVersion `$1` expiring at `$2` (or never, for `none`), with a token numbered by run.
    static let recordingPlugin = """
        #!/bin/sh
        dir=$(dirname "$0")
        echo run >> "$dir/runs"
        n=$(wc -l < "$dir/runs" | tr -d ' ')
        printf '%s\\n' "$@" > "$dir/args"
        printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/exec-info"
        printf '%s' "$PLUGIN_GREETING" > "$dir/greeting"
        if [ "$2" = none ]; then exp=""; else exp=",\\"expirationTimestamp\\":\\"$2\\""; fi
        printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"tok-%s"%s}}\\n' "$1" "$n" "$exp"
        """

    func config(command: String = "./plugin.sh", apiVersion: String = "client.authentication.k8s.io/v1",
                args: [String]? = nil, extra: [String] = []) -> String {
        let arguments = (args ?? [apiVersion, Self.expiry, "with space"]).map { "\"\($0)\"" }.joined(separator: ", ")
        return """
            current-context: m
            clusters:
            - name: c
              cluster: {server: "https://x:6443", tls-server-name: api.internal}
            users:
            - name: u
              user:
                exec:
                  command: \(command)
                  apiVersion: \(apiVersion)
                  args: [\(arguments)]
                  env: [{name: PLUGIN_GREETING, value: hello}]
                  provideClusterInfo: true
            \(extra.map { "      \($0)" }.joined(separator: "\n"))
            contexts:
            - name: m
              context: {cluster: c, user: u}
            """
    }

    func credentials(_ text: String) throws -> any BearerTokenSource {
        try #require(try dir.connect(text, clock: clock, logger: log.logger).credentials)
    }

    var runs: Int { dir.lineCount("runs") }

    @Test(arguments: ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"])
    func runsWithArgsEnvAndExecInfo(apiVersion: String) async throws {
        dir.write("plugin.sh", Self.recordingPlugin, executable: true)
        let source = try credentials(config(apiVersion: apiVersion, extra: ["interactiveMode: IfAvailable"]))
        #expect(runs == 0)
        #expect(try await source.token() == "tok-1")
        #expect(dir.read("args") == "\(apiVersion)\n\(Self.expiry)\nwith space\n")
        #expect(dir.read("greeting") == "hello")
        let info = try #require(try JSONSerialization.jsonObject(with: Data((dir.read("exec-info") ?? "").utf8)) as? [String: Any])
        #expect(info["apiVersion"] as? String == apiVersion)
        #expect(info["kind"] as? String == "ExecCredential")
        let spec = try #require(info["spec"] as? [String: Any])
        #expect(spec["interactive"] as? Bool == false)
        let cluster = try #require(spec["cluster"] as? [String: Any])
        #expect(cluster["server"] as? String == "https://x:6443")
        #expect(cluster["tls-server-name"] as? String == "api.internal")
        #expect(!log.text.contains("tok-1"))
    }

    @Test func cachedUntilExpiryThenRerun() async throws {
        dir.write("plugin.sh", Self.recordingPlugin, executable: true)
        let source = try credentials(config())
        #expect(try await source.token() == "tok-1")
        #expect(try await source.token() == "tok-1")
        clock.advance(59)
        #expect(try await source.token() == "tok-1")
        #expect(runs == 1)
        clock.advance(1)
        #expect(try await source.token() == "tok-2")
        #expect(runs == 2)
    }

    @Test func invalidateRerunsButAStaleRejectionDoesNot() async throws {
        dir.write("plugin.sh", Self.recordingPlugin, executable: true)
        let source = try credentials(config(args: ["client.authentication.k8s.io/v1", "none"]))
        #expect(try await source.token() == "tok-1")
        clock.advance(1_000_000)
        #expect(try await source.token() == "tok-1")
        await source.invalidate(rejecting: "tok-1")
        #expect(try await source.token() == "tok-2")
        // Another request that failed with the old token must not throw away the new one.
        await source.invalidate(rejecting: "tok-1")
        #expect(try await source.token() == "tok-2")
        await source.invalidate()
        #expect(try await source.token() == "tok-3")
        #expect(runs == 3)
    }

    @Test func concurrentCallersShareOneRun() async throws {
        dir.write("plugin.sh", Self.recordingPlugin, executable: true)
        let source = try credentials(config())
        let tokens = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<8 { group.addTask { try await source.token() } }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(tokens == Array(repeating: "tok-1", count: 8))
        #expect(runs == 1)
    }

    @Test func bareCommandIsFoundInPATH() async throws {
        dir.write("bin/kubelua-test-plugin", Self.recordingPlugin, executable: true)
        let text = config(command: "kubelua-test-plugin")
        let connection = try dir.connect(text, clock: clock, variables: ["PATH": "/nonexistent:\(dir.path("bin")):/usr/bin:/bin"])
        #expect(try await connection.credentials?.token() == "tok-1")
    }

    @Test func failingPluginErrorIncludesStderrNotStdout() async throws {
        dir.write("plugin.sh", """
            #!/bin/sh
            echo run >> "$(dirname "$0")/runs"
            echo '{"status":{"token":"half-made-token"}}'
            echo "  boom: access denied  " >&2
            exit 3
            """, executable: true)
        let source = try credentials(config())
        let error = await expectConfigError(.execPlugin) { _ = try await source.token() }
        #expect(error?.description == #"kubeconfig \#(file): users[0] "u": exec plugin "\#(dir.path("plugin.sh"))" exited with status 3; stderr: boom: access denied"#)
        #expect(error?.description.contains("half-made-token") == false)
        // Failures are not cached.
        await expectConfigError(.execPlugin) { _ = try await source.token() }
        #expect(runs == 2)
    }

    @Test func garbageOutput() async throws {
        dir.write("plugin.sh", "#!/bin/sh\necho 'Please log in: secret-ish garbage'\necho 'warning: no session' >&2\n", executable: true)
        let source = try credentials(config())
        let error = await expectConfigError(.execPlugin) { _ = try await source.token() }
        #expect(error?.message == #"users[0] "u": exec plugin "\#(dir.path("plugin.sh"))" printed an unusable ExecCredential: stdout is not a JSON object; stderr: warning: no session"#)
        #expect(error?.description.contains("secret-ish") == false)
    }

    @Test(arguments: [
        ("", "printed nothing on stdout", false),
        (#"{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}"#,
         #"returned apiVersion "client.authentication.k8s.io/v1beta1", but the kubeconfig asks for "client.authentication.k8s.io/v1""#, false),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"Other","status":{"token":"t"}}"#, #"output kind is not "ExecCredential""#, false),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}"#, "output has no status object", false),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}"#, "output has no status.token", false),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"tomorrow"}}"#,
         "status.expirationTimestamp is not an RFC 3339 time", false),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"c","clientKeyData":"k"}}"#,
         "returned status.clientCertificateData: client certificates from exec plugins are not supported by kubelua (only status.token)", true),
    ])
    func malformedCredentials(output: String, problem: String, unsupported: Bool) {
        do {
            _ = try ExecCredential.parse(Array(output.utf8), apiVersion: "client.authentication.k8s.io/v1")
            Issue.record("parsed \(output)")
        } catch {
            #expect(error.message == problem)
            #expect(error.unsupported == unsupported)
        }
    }

    @Test func credentialTimestamps() throws {
        let whole = try ExecCredential.parse(Array(#"{"apiVersion":"v","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"2023-11-14T22:14:20Z"}}"#.utf8), apiVersion: "v")
        #expect(whole.expiration == Date(timeIntervalSince1970: 1_700_000_060))
        let fractional = ExecCredential.parseRFC3339("2023-11-14T23:14:20.5+01:00")
        #expect(fractional == Date(timeIntervalSince1970: 1_700_000_060.5))
        #expect(whole.isExpired(at: Date(timeIntervalSince1970: 1_700_000_059.9)) == false)
        #expect(whole.isExpired(at: Date(timeIntervalSince1970: 1_700_000_060)))
    }

    @Test func unsupportedCertificateEndToEnd() async throws {
        dir.write("plugin.sh", """
            #!/bin/sh
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"c","clientKeyData":"k"}}'
            """, executable: true)
        let source = try credentials(config())
        let error = await expectConfigError(.unsupported) { _ = try await source.token() }
        #expect(error?.message.contains("client certificates from exec plugins are not supported") == true)
    }

    @Test func missingPlugins() async throws {
        let inPath = try credentials(config(command: "kubelua-no-such-plugin", extra: ["installHint: |", "  brew install kubelua-no-such-plugin"]))
        let notFound = await expectConfigError(.execPlugin) { _ = try await inPath.token() }
        #expect(notFound?.message == #"users[0] "u": exec plugin "kubelua-no-such-plugin": command not found: "kubelua-no-such-plugin" is not in PATH (PATH is /usr/bin:/bin); install it or give its full path in the kubeconfig; install hint: brew install kubelua-no-such-plugin"#)

        let byPath = try credentials(config(command: "./missing.sh"))
        let missing = await expectConfigError(.execPlugin) { _ = try await byPath.token() }
        #expect(missing?.message == #"users[0] "u": exec plugin "\#(dir.path("missing.sh"))": \#(dir.path("missing.sh")) does not exist"#)

        dir.write("plain.sh", Self.recordingPlugin)
        let notExecutable = try credentials(config(command: "./plain.sh"))
        let denied = await expectConfigError(.execPlugin) { _ = try await notExecutable.token() }
        #expect(denied?.message.hasSuffix("is not an executable file") == true)
    }

    @Test func hungPluginIsKilledAtTheTimeout() async throws {
        // The shell's child keeps the pipes open: killing only the shell would leave it running.
        dir.write("plugin.sh", """
            #!/bin/sh
            echo starting >&2
            sleep 300 &
            echo $! > "$(dirname "$0")/child"
            wait
            echo done
            """, executable: true)
        let exec = KubeconfigExec(command: dir.path("plugin.sh"), apiVersion: "client.authentication.k8s.io/v1")
        let source = try ExecCredentialSource(exec: exec, environment: dir.environment(), timeout: .milliseconds(300), logger: log.logger)
        let error = await expectConfigError(.execPlugin) { _ = try await source.token() }
        #expect(error?.message.contains("did not finish within 0.3 seconds and was killed; stderr: starting") == true, "\(String(describing: error))")
        let child = try #require(dir.read("child").flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        #expect(ProcessExit.hasExited(child), "the plugin's child \(child) outlived the kill")
    }

    @Test func configurationIsCheckedBeforeAnyRun() {
        let cases: [(KubeConfigError.Kind, [String], String)] = [
            (.missingField, ["exec: {apiVersion: client.authentication.k8s.io/v1}"], "exec.command: missing"),
            (.missingField, ["exec: {command: x}"],
             "exec.apiVersion: missing (use client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1)"),
            (.unsupported, ["exec: {command: x, apiVersion: client.authentication.k8s.io/v1alpha1}"],
             #"exec.apiVersion: "client.authentication.k8s.io/v1alpha1" is not supported (use client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1)"#),
            (.unsupported, ["exec: {command: x, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Always}"],
             "exec.interactiveMode: Always needs a terminal, but kubelua runs plugins non-interactively"),
            (.invalidField, ["exec: {command: x, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Sometimes}"],
             #"exec.interactiveMode: "Sometimes" is not Never, IfAvailable or Always"#),
        ]
        for (kind, user, message) in cases {
            let error = expectConfigError(kind) { _ = try dir.connect(Fixtures.kubeconfig(user: user)) }
            #expect(error?.description == #"kubeconfig \#(file): users[0] "u": \#(message)"#)
        }
    }
}
