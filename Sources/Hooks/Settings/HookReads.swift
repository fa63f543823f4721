import JSONBytes
import Kube
import Lua

/// The parts of the pod a hook declares it reads (`hook = { reads = {"metadata", "status.phase"} }`),
/// as dotted paths: a path names a member and everything under it, and passes through arrays.
/// The hook is shown what it declared and the pod's identity (`PodProjection.identity`); when
/// every hook a watch feeds declares, its cache keeps only what they read (`PodProjection.cached`).
public struct HookReads: Sendable, Equatable {
    /// The paths as written, in order.
    public let paths: [String]

    init(reading value: LuaValue) throws(SettingError) {
        let example = #"a list of dotted paths such as { "metadata", "status.phase" }"#
        guard case .table(let table) = value else { throw SettingError("expected \(example), got \(SettingText.shown(value))") }
        let count = table.count
        let stray = table.keys.first { key in
            guard case .integer(let number) = key else { return true }
            return number < 1 || number > count
        }
        if let stray { throw SettingError("expected \(example), got a table with the key \(SettingText.shown(stray))") }
        var paths: [String] = []
        for position in 1..<(count + 1) {
            let item = table[.integer(Int64(position))]!
            guard let path = item.text else { throw SettingError("item \(position): expected a dotted path such as \"status.phase\", got \(SettingText.shown(item))") }
            let parts = path.split(separator: ".", omittingEmptySubsequences: false)
            if let bad = parts.first(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) }) {
                let why = bad.isEmpty ? "an empty part" : "a part with a space"
                throw SettingError("item \(position): \(SettingText.shown(item)) is not a dotted path (\(why))")
            }
            paths.append(path)
        }
        self.paths = paths
    }

    /// What the hook is shown of each pod.
    public func view(strippingManagedFields: Bool) -> JSONProjection {
        PodProjection.reading(paths.map { $0.split(separator: ".").map(String.init) } + PodProjection.identity,
                              strippingManagedFields: strippingManagedFields)
    }
}
