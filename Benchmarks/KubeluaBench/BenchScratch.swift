import Dispatch
import Foundation
import Synchronization

/// The run's temporary folder: hooks folders, the reference's event lines, the Python peer's
/// script. It is removed when the run ends, and on SIGINT or SIGTERM too (the server child
/// then sees its stdin close and exits; `children` are killed).
final class BenchScratch {
    let root: URL
    let children = AdoptedChildren()
    private let signalSources: [any DispatchSourceSignal]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kubelua-bench-\(getpid())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let root = root, children = children
        signalSources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                children.killAll()
                try? FileManager.default.removeItem(at: root)
                FileHandle.standardError.write(Data("kubelua-bench: interrupted\n".utf8))
                exit(128 + signalNumber)
            }
            source.resume()
            return source
        }
    }

    /// A new hooks folder `<name>/_all/` holding the given scripts (file name → source).
    func hooksFolder(_ name: String, scripts: [String: String]) throws -> URL {
        let folder = root.appendingPathComponent(name)
        let all = folder.appendingPathComponent("_all")
        try FileManager.default.createDirectory(at: all, withIntermediateDirectories: true)
        for (file, source) in scripts {
            try Data(source.utf8).write(to: all.appendingPathComponent(file))
        }
        return folder
    }

    func file(_ name: String) -> URL { root.appendingPathComponent(name) }

    func remove() {
        for source in signalSources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        try? FileManager.default.removeItem(at: root)
    }
}

/// Child processes an interrupted run kills (they lead process groups of their own, so Ctrl-C
/// does not reach them): each from `adopt` until `disown` (it has been reaped).
final class AdoptedChildren: Sendable {
    private let pids = Mutex(Set<pid_t>())

    func adopt(_ pid: pid_t) { _ = pids.withLock { $0.insert(pid) } }
    func disown(_ pid: pid_t) { _ = pids.withLock { $0.remove(pid) } }
    func killAll() { pids.withLock { pids in for pid in pids { kill(pid, SIGKILL) } } }
}
