import Foundation

/// One folder `kubelua test` runs: `hooks/`, at least one `events*` recording, optional
/// `objects*` files (what `kube.get`/`kube.list` read of other kinds), `options.txt` (see
/// `HookTestOptions`), `http-stubs.txt` (see `HTTPStubs`) and `expected.txt`, the lines it
/// must print. Files are taken in name order.
public struct HookTestCase: Sendable, Equatable {
    /// The folder, as found from the path given.
    public let folder: String
    public let events: [String]
    public let objects: [String]

    public var hooks: String { folder + "/hooks" }
    public var expected: String { folder + "/expected.txt" }
    public var optionsFile: String { folder + "/options.txt" }
    public var stubsFile: String { folder + "/http-stubs.txt" }

    /// The case in `folder`, or nil when it is not one.
    public init?(folder: String) {
        guard Self.isFolder(folder + "/hooks"), let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        let files = names.sorted().filter { !Self.isFolder(folder + "/" + $0) }
        let events = files.filter { $0.hasPrefix("events") }
        guard !events.isEmpty else { return nil }
        self.folder = folder
        self.events = events.map { folder + "/" + $0 }
        objects = files.filter { $0.hasPrefix("objects") }.map { folder + "/" + $0 }
    }

    /// The cases at `paths`: each path a case or a folder searched for cases (not inside a
    /// case's `hooks/`, nor in folders whose names start with `.`), in path order.
    public static func find(in paths: [String]) throws(HookTestError) -> [HookTestCase] {
        var cases: [HookTestCase] = []
        for path in paths {
            let path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
            guard isFolder(path) else {
                throw HookTestError("\(path): not a folder (a test case is a folder with hooks/ and events* files)")
            }
            let found = search(path)
            if found.isEmpty {
                throw HookTestError("\(path): no test case found (a folder with hooks/ and at least one events* recording)")
            }
            cases += found
        }
        return cases
    }

    private static func search(_ folder: String) -> [HookTestCase] {
        if let found = HookTestCase(folder: folder) { return [found] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") && isFolder(folder + "/" + $0) }
            .flatMap { search(folder == "." ? $0 : folder + "/" + $0) }
    }

    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
