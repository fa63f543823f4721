#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The real file system, through POSIX calls so errors read like the shell's
/// (`No such file or directory`), not like Foundation's prose.
public struct LocalFileSystem: KubeFileSystem {
    /// Kubeconfigs, certificates and tokens are small; a cap stops `/dev/zero` or a log file
    /// named by mistake from eating memory.
    public var maximumFileSize: Int

    public init(maximumFileSize: Int = 16 << 20) {
        self.maximumFileSize = maximumFileSize
    }

    public func contents(of path: String) throws(KubeFileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.error(path, errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.error(path, errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
            if bytes.count > maximumFileSize {
                throw KubeFileError(path: path, reason: "larger than \(maximumFileSize) bytes", isNotFound: false)
            }
        }
    }

    public func identity(of path: String) -> KubeFileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return KubeFileIdentity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modifiedSeconds: Int64(modified.tv_sec), modifiedNanoseconds: Int64(modified.tv_nsec))
    }

    public func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }

    private static func error(_ path: String, _ code: Int32) -> KubeFileError {
        KubeFileError(path: path, reason: String(cString: strerror(code)), isNotFound: code == ENOENT || code == ENOTDIR)
    }
}
