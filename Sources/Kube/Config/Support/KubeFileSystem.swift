/// The file access configuration loading needs, injectable so tests (and embedders) can fake it.
public protocol KubeFileSystem: Sendable {
    /// The whole file. Errors carry the operating system's reason (`No such file or directory`).
    func contents(of path: String) throws(KubeFileError) -> [UInt8]
    /// What identifies the file's current content cheaply, without reading it: changes when the
    /// file is rewritten or replaced (a rotated token). Nil when the file cannot be examined.
    func identity(of path: String) -> KubeFileIdentity?
    /// Whether `path` is a regular file this process may execute (exec plugin lookup).
    func isExecutableFile(_ path: String) -> Bool
}

/// Device, inode, size and modification time: enough to notice an atomic replace (new inode,
/// as kubelet's projected tokens do) or an in-place rewrite (new mtime or size).
public struct KubeFileIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var modifiedSeconds: Int64
    public var modifiedNanoseconds: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, modifiedSeconds: Int64, modifiedNanoseconds: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modifiedSeconds = modifiedSeconds
        self.modifiedNanoseconds = modifiedNanoseconds
    }
}

/// A file that could not be read, with the reason in the operating system's words.
public struct KubeFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    /// True when the file does not exist, which KUBECONFIG loading treats as "skip".
    public let isNotFound: Bool

    public init(path: String, reason: String, isNotFound: Bool) {
        self.path = path
        self.reason = reason
        self.isNotFound = isNotFound
    }

    public var description: String { "\(path): \(reason)" }
}
