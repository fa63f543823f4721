import Foundation
import Testing

/// `kubelua test` over cases written to a temporary folder, run as the binary.
@Suite(.timeLimit(.minutes(1))) struct TestCommandTests {
    /// A case folder: `hooks/default/h.lua` with `script`, `events.ndjson` adding pods `a`
    /// (app=web) and `b` (app=db), and the other files given.
    static func writeCase(_ root: String, script: String, files: [String: String] = [:]) throws {
        try FileManager.default.createDirectory(atPath: root + "/hooks/default", withIntermediateDirectories: true)
        try script.write(toFile: root + "/hooks/default/h.lua", atomically: true, encoding: .utf8)
        let events = [("a", "web"), ("b", "db")].map { name, app in
            #"{"type":"ADDED","object":{"metadata":{"name":"\#(name)","namespace":"default","uid":"u-\#(name)","resourceVersion":"1","labels":{"app":"\#(app)"}},"status":{"phase":"Running"}}}"#
        }
        try events.joined(separator: "\n").write(toFile: root + "/events.ndjson", atomically: true, encoding: .utf8)
        for (name, text) in files { try text.write(toFile: root + "/" + name, atomically: true, encoding: .utf8) }
    }

    static func temporaryFolder() -> String { NSTemporaryDirectory() + "kubelua-test-" + UUID().uuidString }

    @Test func aPassingCasePrintsOkAndTheCountsAndExitsZero() async throws {
        let root = Self.temporaryFolder()
        try Self.writeCase(root + "/greets", script: "function on_add(pod) log.info('hello', {app = pod.metadata.labels.app}) end\n", files: [
            "expected.txt": "default/h.lua default/a: hello app=web\ndefault/h.lua default/b: hello app=db\n",
        ])
        let run = try await KubeluaProcess.run(["test", root])
        #expect(run.status == 0, "\(run.lines) \(run.errors)")
        #expect(run.lines == ["ok      \(root)/greets", "1 passed, 0 failed"])
    }

    @Test func aFailingCasePrintsItsDiffAndTheUpdateCommandAndExitsOne() async throws {
        let root = Self.temporaryFolder()
        try Self.writeCase(root + "/greets", script: "function on_add(pod) print('hi ' .. pod.metadata.name) end\n", files: [
            "expected.txt": "default/h.lua default/a: hi a\ndefault/h.lua default/b: hello b\n",
        ])
        let run = try await KubeluaProcess.run(["test", root])
        #expect(run.status == 1)
        #expect(run.lines == [
            "FAIL    \(root)/greets",
            "--- \(root)/greets/expected.txt",
            "+++ printed",
            "@@ -1,2 +1,2 @@",
            " default/h.lua default/a: hi a",
            "-default/h.lua default/b: hello b",
            "+default/h.lua default/b: hi b",
            "to accept the printed lines: kubelua test --update \(root)/greets",
            "0 passed, 1 failed",
        ])
    }

    @Test func updateRewritesOnlyTheCasesThatChangedAndSaysWhich() async throws {
        let root = Self.temporaryFolder()
        let script = "function on_add(pod) print('hi ' .. pod.metadata.name) end\n"
        let printed = "default/h.lua default/a: hi a\ndefault/h.lua default/b: hi b\n"
        try Self.writeCase(root + "/same", script: script, files: ["expected.txt": printed])
        try Self.writeCase(root + "/stale", script: script, files: ["expected.txt": "old\n"])
        try Self.writeCase(root + "/new", script: script)
        let past = Date(timeIntervalSince1970: 1_000_000_000)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: root + "/same/expected.txt")

        let run = try await KubeluaProcess.run(["test", "--update", root])
        #expect(run.status == 0)
        #expect(run.lines == [
            "created \(root)/new/expected.txt",
            "ok      \(root)/same (expected.txt unchanged)",
            "updated \(root)/stale/expected.txt",
            "3 passed, 0 failed",
        ])
        for name in ["new", "same", "stale"] {
            #expect(try String(contentsOfFile: "\(root)/\(name)/expected.txt", encoding: .utf8) == printed)
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: root + "/same/expected.txt")
        #expect(attributes[.modificationDate] as? Date == past, "an unchanged expected.txt is not rewritten")
        #expect(try await KubeluaProcess.run(["test", root]).lines.last == "3 passed, 0 failed")
    }

    @Test func httpRequestsPrintALineAndAreAnsweredFromTheStubsInTurn() async throws {
        let root = Self.temporaryFolder()
        try Self.writeCase(root, script: """
            function on_add(pod)
              local r = http.post('https://hooks.example.com/x', json.encode{pod = pod.metadata.name, n = 1})
              local g = http.get('https://owners.example.com/teams/' .. pod.metadata.labels.app)
              print(r.status .. ' ' .. r.body .. ' / ' .. g.status .. ' ' .. g.body)
            end
            """, files: [
                "http-stubs.txt": """
                    # the first post fails, the next ones succeed
                    POST https://hooks.example.com/x 503 busy
                    POST https://hooks.example.com/x 200 ok
                    GET https://owners.example.com/teams/web 200 {"team": "shop"}
                    """,
            ])
        let run = try await KubeluaProcess.run(["test", "--update", root])
        #expect(run.status == 0, "\(run.lines)")
        #expect(try String(contentsOfFile: root + "/expected.txt", encoding: .utf8) == """
            HTTP POST https://hooks.example.com/x {"n":1,"pod":"a"} (hook default/h.lua)
            HTTP GET https://owners.example.com/teams/web (hook default/h.lua)
            default/h.lua default/a: 503 busy / 200 {"team": "shop"}
            HTTP POST https://hooks.example.com/x {"n":1,"pod":"b"} (hook default/h.lua)
            HTTP GET https://owners.example.com/teams/db (hook default/h.lua)
            default/h.lua default/b: 200 ok / 200 

            """)
    }

    @Test func aCasesOptionsSetTheEnvironmentClockAdvanceAndSelector() async throws {
        let root = Self.temporaryFolder()
        try Self.writeCase(root, script: """
            print('token ' .. tostring(os.getenv('TOKEN')) .. ', HOME ' .. tostring(os.getenv('HOME')))
            function on_add(pod, ctx)
              print(os.date('!%Y-%m-%dT%H:%M:%SZ', os.time()) .. ' dry_run=' .. tostring(ctx.dry_run))
              timer.after(pod, '1h')
            end
            function on_timer(pod, ctx) print('timer at ' .. os.date('!%H:%M', os.time())) end
            """, files: [
                "options.txt": """
                    # comments and blank lines are skipped

                    clock = 2026-05-01T12:00:00Z
                    advance = 2h
                    env TOKEN = s3cret
                    selector = app=web
                    dry-run = true
                    """,
            ])
        let run = try await KubeluaProcess.run(["test", "--update", root])
        #expect(run.status == 0, "\(run.lines)")
        #expect(try String(contentsOfFile: root + "/expected.txt", encoding: .utf8) == """
            default/h.lua: token s3cret, HOME nil
            default/h.lua default/a: 2026-05-01T12:00:00Z dry_run=true
            default/h.lua default/a: timer at 13:00

            """)
    }

    @Test(arguments: [
        ("options.txt", "advance = 2h\nclok = 2026-05-01T12:00:00Z\n", "options.txt:2: unknown key 'clok' (did you mean 'clock'?)"),
        ("options.txt", "advance = soon\n", "options.txt:1: advance: expected a duration such as 90s, 5m, 2h or 1h30m, got 'soon'"),
        ("options.txt", "dry-run\n", "options.txt:1: expected `key = value`"),
        ("http-stubs.txt", "POST https://x.example.com 200\nFETCH https://x.example.com 200\n", "http-stubs.txt:2: 'FETCH' is not a method http sends"),
        ("http-stubs.txt", "GET https://x.example.com twohundred\n", "http-stubs.txt:1: 'twohundred' is not an HTTP status from 100 to 599"),
        ("http-stubs.txt", "GET x.example.com 200\n", "http-stubs.txt:1: 'x.example.com' is not an http:// or https:// URL"),
    ])
    func aBadOptionsOrStubsFileFailsTheCaseNamingFileAndLine(file: String, text: String, message: String) async throws {
        let root = Self.temporaryFolder()
        try Self.writeCase(root, script: "function on_add(pod) end\n", files: [file: text, "expected.txt": ""])
        let run = try await KubeluaProcess.run(["test", root])
        #expect(run.status == 1)
        #expect(run.lines.first?.hasPrefix("FAIL    \(root): \(root)/\(message)") == true, "\(run.lines)")
        #expect(run.lines.last == "0 passed, 1 failed")
    }

    @Test func aPathWithoutCasesIsAnError() async throws {
        let root = Self.temporaryFolder()
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let run = try await KubeluaProcess.run(["test", root])
        #expect(run.status == 1)
        #expect(run.errors.contains("\(root): no test case found"))
    }

    @Test func theExamplesPass() async throws {
        let run = try await KubeluaProcess.run(["test", KubeluaProcess.repository.path + "/examples"])
        #expect(run.status == 0, "\(run.lines)")
        #expect(run.lines.last == "5 passed, 0 failed")
    }
}
