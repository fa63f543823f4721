/// Reads the files a configuration names (CA bundles, keys, tokens) and reports failures the
/// same way everywhere: `cannot read client-key /x/key.pem: No such file or directory`.
struct ConfigFileReader: Sendable {
    let fileSystem: any KubeFileSystem
    let site: ErrorSite

    func read(_ path: String, field: String) throws -> [UInt8] {
        do {
            return try fileSystem.contents(of: path)
        } catch {
            throw site.error(error.isNotFound ? .fileNotFound : .unreadableFile,
                             "cannot read \(field) \(path): \(error.reason)")
        }
    }
}
