import Foundation

/// The fake API server in a child process (`kubelua-bench serve`), so that its CPU and memory
/// (store, event history, watch queues) stay out of kubelua's figures. It is driven one line
/// at a time over its stdin and stdout (the commands are in `ServeSession`) and exits when its
/// stdin closes, so it cannot outlive this process for long.
actor ServerProcess {
    nonisolated let port: Int
    /// The JSON bytes of all its pods as created: what a full cache of them holds.
    nonisolated let podJSONBytes: Int
    nonisolated var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    private let process: Process
    private let input: FileHandle
    private let replies: LineReader
    private let errors: OutputTail
    /// How the child ended, in words ("exited with status 1", "was killed by signal 9").
    private let ending: OneShot<String>

    /// Starts the child and waits until it serves `pods` generated pods.
    static func launch(pods: Int) async throws -> ServerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executablePath())
        process.arguments = ["serve", String(pods)]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let ending = OneShot<String>()
        process.terminationHandler = { process in
            let signaled = process.terminationReason == .uncaughtSignal
            ending.set("\(signaled ? "was killed by signal" : "exited with status") \(process.terminationStatus)")
        }
        do {
            try process.run()
        } catch {
            throw ServerProcessError(command: "start", problem: "cannot start \(process.executableURL!.path) serve: \(error)")
        }
        let replies = LineReader(output.fileHandleForReading, name: "kubelua-bench-server-replies")
        let tail = OutputTail(errors.fileHandleForReading, name: "kubelua-bench-server-stderr")
        let ready = await replies.next()
        guard let fields = ready?.split(separator: " "), fields.count == 3, fields[0] == "ready",
              let port = Int(fields[1]), let bytes = Int(fields[2]) else {
            if ready != nil { kill(process.processIdentifier, SIGKILL) }
            try? input.fileHandleForWriting.close()
            throw ServerProcessError(command: "start", problem: "the child \(await ending.value()) before serving: \(await tail.final())")
        }
        return ServerProcess(process: process, input: input.fileHandleForWriting, replies: replies, errors: tail,
                             ending: ending, port: port, podJSONBytes: bytes)
    }

    private init(process: Process, input: FileHandle, replies: LineReader, errors: OutputTail, ending: OneShot<String>,
                 port: Int, podJSONBytes: Int) {
        self.process = process
        self.input = input
        self.replies = replies
        self.errors = errors
        self.ending = ending
        self.port = port
        self.podJSONBytes = podJSONBytes
    }

    /// Sends one command and returns the fields of its `ok` reply; an `err` reply or the child
    /// going away is an error naming the command.
    func request(_ command: String) async throws -> [Substring] {
        do {
            try input.write(contentsOf: Data((command + "\n").utf8))
        } catch {
            throw await failure(command, "cannot write to the child: \(error)")
        }
        guard let reply = await replies.next() else { throw await failure(command, "the child closed its output") }
        let fields = reply.split(separator: " ", omittingEmptySubsequences: true)
        if fields.first == "ok" { return Array(fields.dropFirst()) }
        throw ServerProcessError(command: command, problem: reply.hasPrefix("err ") ? String(reply.dropFirst(4)) : "unexpected reply \"\(reply)\"")
    }

    /// The last resource version of `count` touches (MODIFIED events that change only the
    /// resourceVersion), round robin over the pods.
    func touch(_ count: Int) async throws -> Int {
        try Self.integer(try await request("touch \(count)"), 0, of: "touch")
    }

    /// The store's current resource version.
    func version() async throws -> Int {
        try Self.integer(try await request("version"), 0, of: "version")
    }

    /// The leader's checkpoint on the Lease (its lowest watch; 0: none) and the newest version of a pod.
    func checkpoint() async throws -> (checkpoint: Int, newestPod: Int) {
        let fields = try await request("checkpoint")
        guard fields.count == 2, let checkpoint = Int(fields[0]), let newest = Int(fields[1]) else {
            throw ServerProcessError(command: "checkpoint", problem: "unexpected reply \(fields)")
        }
        return (checkpoint, newest)
    }

    /// The child's CPU seconds so far and its peak RSS.
    func usage() async throws -> (cpuSeconds: Double, peakResidentBytes: Int) {
        let fields = try await request("stats")
        guard fields.count == 2, let cpu = Double(fields[0]), let peak = Int(fields[1]) else {
            throw ServerProcessError(command: "stats", problem: "unexpected reply \(fields)")
        }
        return (cpu, peak)
    }

    /// Closes its stdin (it shuts its server down and exits) and reaps it; kills it if it has
    /// not exited within ten seconds.
    func stop() async {
        try? input.close()
        let pid = process.processIdentifier
        let ending = ending
        let exited = await withTaskGroup(of: Bool.self) { group in
            group.addTask { _ = await ending.value(); return true }
            group.addTask { try? await Task.sleep(for: .seconds(10)); return false }
            let first = await group.next() ?? false
            if !first { kill(pid, SIGKILL) }
            group.cancelAll()
            return first
        }
        if !exited { FileHandle.standardError.write(Data("kubelua-bench: the server child did not exit in 10 s; killed\n".utf8)) }
    }

    static func integer(_ fields: [Substring], _ index: Int, of command: String) throws -> Int {
        guard index < fields.count, let value = Int(fields[index]) else {
            throw ServerProcessError(command: command, problem: "unexpected reply \(fields)")
        }
        return value
    }

    /// The child died or hung up: how it ended and its last stderr lines say why.
    private func failure(_ command: String, _ problem: String) async -> ServerProcessError {
        let ended = await ending.value()
        let said = await errors.final()
        return ServerProcessError(command: command, problem: "\(problem); it \(ended)\(said.isEmpty ? "" : ": " + said)")
    }

    /// This very binary: the child runs its `serve` subcommand.
    static func executablePath() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { throw ServerProcessError(command: "start", problem: "cannot read /proc/self/exe") }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// The server child failed: which command, and what went wrong.
struct ServerProcessError: Error, CustomStringConvertible {
    let command: String
    let problem: String

    var description: String { "fake API server child (kubelua-bench serve), command \"\(command)\": \(problem)" }
}
