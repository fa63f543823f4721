import Foundation

import Glibc

/// Reads hook and library files: regular files only, checked before opening and again on the
/// open descriptor, and opened without blocking. A FIFO would block its reader until some
/// process writes to it; a device may never end.
enum HookSourceFile {
    struct Refused: Error, CustomStringConvertible {
        /// The file, as messages name it.
        let name: String
        let reason: String

        var description: String { "\(name): \(reason)" }
    }

    /// The file's bytes, or nil when it does not exist (it was removed since the folder was
    /// scanned). `name` is how messages call it.
    static func read(_ path: String, name: String) throws(Refused) -> [UInt8]? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw Refused(name: name, reason: "cannot read: \(lastError)")
        }
        try requireRegular(info, name: name)
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw Refused(name: name, reason: "cannot read: \(lastError)")
        }
        defer { close(descriptor) }
        // The path may have been swapped for something else since the check above.
        guard fstat(descriptor, &info) == 0 else { throw Refused(name: name, reason: "cannot read: \(lastError)") }
        try requireRegular(info, name: name)

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw Refused(name: name, reason: "cannot read: \(lastError)")
            }
            bytes += chunk[..<count]
        }
    }

    /// Whether `path`, every symlink resolved, names something inside `root` (also resolved):
    /// a mounted ConfigMap's `..data` links stay inside; a link to `/etc` does not.
    static func resolves(_ path: String, inside root: String) -> Bool {
        guard let resolvedRoot = resolved(root), let resolvedPath = resolved(path) else { return false }
        let prefix = resolvedRoot.hasSuffix("/") ? resolvedRoot : resolvedRoot + "/"
        return resolvedPath.hasPrefix(prefix)
    }

    private static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    private static func requireRegular(_ info: stat, name: String) throws(Refused) {
        let kind: String
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFIFO: kind = "a FIFO"
        case S_IFCHR: kind = "a character device"
        case S_IFBLK: kind = "a block device"
        case S_IFSOCK: kind = "a socket"
        case S_IFDIR: kind = "a folder"
        default: kind = "a special file"
        }
        throw Refused(name: name, reason: "refused: \(kind), not a regular file")
    }

    private static var lastError: String { String(cString: strerror(errno)) }
}
