import Foundation
import Glibc
import Synchronization

/// Tells when the hooks folder may have changed: at once through inotify (files written,
/// created, removed, renamed — including a mounted ConfigMap's `..data` symlink swap), and every
/// `pollInterval` in any case, for file systems where inotify sees nothing (network mounts).
/// The runtime's `reload()` compares contents, so a spurious signal costs a rescan only.
public final class HookFolderMonitor: Sendable {
    public let changes: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let stopped = Atomic(false)

    /// Watches are in place when this returns: a change made right after is seen.
    public init(root: String, pollInterval: Duration = .seconds(2), settle: Duration = .milliseconds(100)) {
        (changes, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        let watched = Self.addWatches(descriptor, root: root, replacing: [])
        let thread = Thread { [self] in
            self.watch(descriptor, root: root, watched: watched, pollInterval: pollInterval, settle: settle)
        }
        thread.name = "kubelua-hooks-monitor"
        thread.start()
    }

    public func stop() {
        stopped.store(true, ordering: .relaxed)
        continuation.finish()
    }

    private var isStopped: Bool { stopped.load(ordering: .relaxed) }

    /// Watches the root and every folder below it (new folders need new watches).
    private static func addWatches(_ descriptor: Int32, root: String, replacing old: [Int32]) -> [Int32] {
        guard descriptor >= 0 else { return [] }
        for watch in old { inotify_rm_watch(descriptor, watch) }
        let mask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE_SELF)
        return folders(under: root).map { inotify_add_watch(descriptor, $0, mask) }.filter { $0 >= 0 }
    }

    private func watch(_ descriptor: Int32, root: String, watched: [Int32], pollInterval: Duration, settle: Duration) {
        defer { if descriptor >= 0 { close(descriptor) } }
        var watched = watched
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !isStopped {
            var pending = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = descriptor >= 0 ? poll(&pending, 1, Self.milliseconds(pollInterval)) : { usleep(UInt32(Self.milliseconds(pollInterval)) * 1000); return 0 }()
            if ready > 0 {
                // Let a burst of writes (an editor saving, a ConfigMap update) finish first.
                usleep(UInt32(Self.milliseconds(settle)) * 1000)
                while read(descriptor, &buffer, buffer.count) > 0 {}
                watched = Self.addWatches(descriptor, root: root, replacing: watched)
            }
            if isStopped { break }
            continuation.yield()
        }
    }

    /// The root and every folder below it, symlinks followed, hidden ones included (a
    /// ConfigMap's files live in `..data`).
    private static func folders(under root: String) -> [String] {
        var result = [root]
        var index = 0
        while index < result.count {
            let folder = result[index]
            index += 1
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                var isDirectory: ObjCBool = false
                let path = folder + "/" + entry
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue, result.count < 1000 {
                    result.append(path)
                }
            }
        }
        return result
    }

    private static func milliseconds(_ duration: Duration) -> Int32 {
        Int32(clamping: duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
