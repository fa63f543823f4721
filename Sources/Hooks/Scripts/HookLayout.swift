import Foundation

/// The hooks folder: `<namespace>/*.lua` for one namespace, `_all/*.lua` for every watched
/// namespace, `_lib/<module>.lua` for `require`. Entries starting with `.` are skipped, which
/// covers a mounted ConfigMap's `..data` and timestamped folders (its files are symlinks into
/// them, and are followed).
public struct HookLayout: Sendable, Equatable {
    public static let allNamespacesFolder = "_all"
    public static let libraryFolder = "_lib"

    public let root: String
    public var hooks: [HookFile]
    /// Namespaces that have a folder (each gets a watch), sorted.
    public var namespaces: [String]
    /// True when `_all` exists (one watch of all namespaces).
    public var watchesAllNamespaces: Bool
    /// Problems that are not fatal (an odd folder name), as `path: message`.
    public var warnings: [String]

    /// Reads the folder. A missing or unreadable root is an error; odd entries are warnings.
    public static func scan(_ root: String) throws -> HookLayout {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw HookLayoutError(message: "\(root): no such hooks folder")
        }
        var layout = HookLayout(root: root, hooks: [], namespaces: [], watchesAllNamespaces: false, warnings: [])
        for folder in try visibleEntries(of: root) where isFolder(root + "/" + folder) {
            if folder == libraryFolder { continue }
            let scope: HookScope
            if folder == allNamespacesFolder {
                scope = .allNamespaces
                layout.watchesAllNamespaces = true
            } else if isNamespaceName(folder) {
                scope = .namespace(folder)
                layout.namespaces.append(folder)
            } else {
                layout.warnings.append("\(root)/\(folder): not a namespace name, \(allNamespacesFolder) or \(libraryFolder); ignored")
                continue
            }
            for file in try visibleEntries(of: root + "/" + folder) where file.hasSuffix(".lua") {
                let path = root + "/" + folder + "/" + file
                guard !isFolder(path) else { continue }
                layout.hooks.append(HookFile(path: path, name: folder + "/" + file, scope: scope))
            }
        }
        layout.hooks.sort()
        layout.namespaces.sort()
        return layout
    }

    private static func visibleEntries(of folder: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw HookLayoutError(message: "\(folder): cannot read the folder: \(error.localizedDescription)")
        }
    }

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// A Kubernetes namespace name: a DNS label.
    static func isNamespaceName(_ name: String) -> Bool {
        guard (1...63).contains(name.utf8.count), let first = name.utf8.first, let last = name.utf8.last else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
        return alphanumeric(first) && alphanumeric(last) && name.utf8.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") }
    }
}

public struct HookLayoutError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
