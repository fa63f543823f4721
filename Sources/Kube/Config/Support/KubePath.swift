/// Lexical path handling, as kubectl does it (Go's `filepath.Dir`, `Join` and `Clean`),
/// so relative references resolve the same way and messages show tidy paths.
enum KubePath {
    /// The directory part of `path`, cleaned; `.` when there is none.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return clean(String(path[...slash]))
    }

    /// `reference` as seen from `directory`: absolute references stay as they are.
    static func resolve(_ reference: String, against directory: String) -> String {
        if reference.isEmpty || reference.hasPrefix("/") { return reference }
        return clean(directory + "/" + reference)
    }

    /// Removes empty and `.` components and folds `..` into its parent where there is one.
    static func clean(_ path: String) -> String {
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(part)
                }
            default: parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}
