import Foundation
import Logging
import Testing
@testable import Kube

/// A fresh directory per test, removed when the test's suite instance goes away.
final class TestDirectory: @unchecked Sendable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.path + "/kubetests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func path(_ name: String) -> String { path + "/" + name }

    /// Writes `text` at `name` (creating parent directories) and returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String, executable: Bool = false) -> String {
        let full = path(name)
        try! FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // Atomic, so a rewrite is a new inode, as kubelet's token rotation is.
        try! Data(text.utf8).write(to: URL(fileURLWithPath: full), options: .atomic)
        if executable {
            try! FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: full)
        }
        return full
    }

    func read(_ name: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: path(name)))).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Lines a plugin appended to `name`: how tests count plugin runs.
    func lineCount(_ name: String) -> Int {
        (read(name) ?? "").split(separator: "\n").count
    }
}

/// A wall clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = start }

    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// Every log line, so tests can check no secret was logged.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var text: String { lock.withLock { lines.joined(separator: "\n") } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }

    var logger: Logger {
        var logger = Logger(label: "kube-tests") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append("\(event.level) \(event.message) \(event.metadata ?? [:])")
        }
    }
}

enum Fixtures {
    static let caPEM = "-----BEGIN CERTIFICATE-----\nMIIBCACERTIFICATEBODY\n-----END CERTIFICATE-----\n"
    static let clientCertPEM = "-----BEGIN CERTIFICATE-----\nMIIBCLIENTCERTBODY\n-----END CERTIFICATE-----\n"
    /// The body is what secret checks look for.
    static let keySecret = "SECRETKEYMATERIALxyz"
    static let keyPEM = "-----BEGIN EC PRIVATE KEY-----\n\(keySecret)\n-----END EC PRIVATE KEY-----\n"

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// A kubeconfig with one cluster, one user (the given YAML lines, indented under `user:`)
    /// and one context `main`, current.
    static func kubeconfig(
        server: String = "https://10.0.0.1:6443", cluster: [String] = [], user: [String]?,
        namespace: String? = nil
    ) -> String {
        var text = """
            apiVersion: v1
            kind: Config
            current-context: main
            clusters:
            - name: c
              cluster:
                server: \(server)

            """
        for line in cluster { text += "    \(line)\n" }
        if let user {
            text += "users:\n- name: u\n  user:\n"
            for line in user { text += "    \(line)\n" }
        }
        text += "contexts:\n- name: main\n  context:\n    cluster: c\n"
        if user != nil { text += "    user: u\n" }
        if let namespace { text += "    namespace: \(namespace)\n" }
        return text
    }
}

extension TestDirectory {
    func environment(
        _ variables: [String: String] = [:], clock: TestClock? = nil, serviceAccount: String? = nil
    ) -> KubeEnvironment {
        var all = ["HOME": path("home"), "PATH": "/usr/bin:/bin"]
        all.merge(variables) { $1 }
        let clock = clock ?? TestClock(Date())
        let now: @Sendable () -> Date = { clock.now }
        return KubeEnvironment(variables: all, serviceAccountDirectory: serviceAccount ?? path("sa"), now: now)
    }

    /// Loads `config` (written to `name`) through `--kubeconfig` and resolves its current context.
    func connect(
        _ config: String, name: String = "config", context: String? = nil, clock: TestClock? = nil,
        variables: [String: String] = [:], logger: Logger = LogCapture().logger
    ) throws -> KubeConnection {
        let file = write(name, config)
        return try KubeConnection.fromEnvironment(
            KubeConfigOptions(kubeconfig: file, context: context),
            environment: environment(variables, clock: clock), logger: logger)
    }
}

/// Runs `body`, expecting a `KubeConfigError` of `kind`; returns it for further checks.
@discardableResult
func expectConfigError(
    _ kind: KubeConfigError.Kind, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> KubeConfigError? {
    do {
        try body()
        Issue.record("expected a \(kind) error, got none", sourceLocation: sourceLocation)
    } catch let error as KubeConfigError {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected KubeConfigError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// The async variant, for token sources.
@discardableResult
func expectConfigError(
    _ kind: KubeConfigError.Kind, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> KubeConfigError? {
    do {
        try await body()
        Issue.record("expected a \(kind) error, got none", sourceLocation: sourceLocation)
    } catch let error as KubeConfigError {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected KubeConfigError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
