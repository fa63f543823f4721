import Foundation
import Kube

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
    /// True when `_all` holds hooks (one watch of all namespaces); an empty `_all` widens nothing.
    public var watchesAllNamespaces: Bool
    /// Problems that are not fatal (an odd folder name, a script outside any namespace folder,
    /// no hooks at all), as `path: message`.
    public var warnings: [String]

    /// Reads the folder. A missing or unreadable root is an error; odd entries are warnings.
    public static func scan(_ root: String) throws -> HookLayout {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: root, isDirectory: &isDirectory) else {
            throw HookLayoutError(message: "\(root): no such hooks folder")
        }
        guard isDirectory.boolValue else {
            throw HookLayoutError(message: "\(root): a file, not a folder: --hooks takes the hooks folder, which holds <namespace>/*.lua")
        }
        var layout = HookLayout(root: root, hooks: [], namespaces: [], watchesAllNamespaces: false, warnings: [])
        let entries = try visibleEntries(of: root)
        layout.warnings += misnamedWarnings(in: root, entries: entries)
        for file in entries where file.hasSuffix(".lua") && !isFolder(root + "/" + file) {
            layout.warnings.append(
                "\(root)/\(file): ignored: a hook belongs in a namespace folder (\(root)/<namespace>/\(file), or \(allNamespacesFolder)/ for all)")
        }
        for folder in entries where isFolder(root + "/" + folder) {
            if folder == libraryFolder {
                layout.warnings += misnamedWarnings(in: root + "/" + folder, entries: visibleTree(of: root + "/" + folder))
                continue
            }
            let scope: HookScope
            if folder == allNamespacesFolder {
                scope = .allNamespaces
            } else if PodQuery.isNamespaceName(folder) {
                scope = .namespace(folder)
                layout.namespaces.append(folder)
            } else {
                layout.warnings.append("\(root)/\(folder): not a namespace name, \(allNamespacesFolder) or \(libraryFolder); ignored")
                continue
            }
            let folderEntries = try visibleEntries(of: root + "/" + folder)
            layout.warnings += misnamedWarnings(in: root + "/" + folder, entries: folderEntries)
                + nestedWarnings(in: root + "/" + folder, entries: folderEntries)
            let hooks = folderEntries.filter { $0.hasSuffix(".lua") && !isFolder(root + "/" + folder + "/" + $0) }
                .map { HookFile(path: root + "/" + folder + "/" + $0, name: folder + "/" + $0, scope: scope) }
            layout.hooks += hooks
            // All namespaces is cluster-wide reach (a watch and a ClusterRole): only for hooks.
            if scope == .allNamespaces {
                layout.watchesAllNamespaces = !hooks.isEmpty
                if hooks.isEmpty {
                    layout.warnings.append(
                        "\(root)/\(folder): no hooks: it watches nothing and gets no RBAC until it holds NAME.lua (hooks for every namespace)")
                }
            }
        }
        layout.hooks.sort()
        layout.namespaces.sort()
        if layout.hooks.isEmpty {
            layout.warnings.append("\(root): no hooks: add \(root)/<namespace>/NAME.lua (or \(allNamespacesFolder)/NAME.lua for every namespace)")
        }
        return layout
    }

    static func visibleEntries(of folder: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw HookLayoutError(message: "\(folder): cannot read the folder: \(error.localizedDescription)")
        }
    }

    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

public struct HookLayoutError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
