/// Which parts of a JSON object a reader keeps, named by paths of member names (`metadata`,
/// `status.phase`): a path keeps that member and everything under it, and passes through arrays
/// (`spec.containers.image` keeps the `image` of every container). Built from paths, widened by
/// `union`, narrowed by `excluding`. The informer's cache cuts out of each pod what its
/// projection drops, and the Lua decoder shows a hook only what its projection keeps; both ask
/// it member by member (`member(named:of:)`), starting from `root`.
public struct JSONProjection: Sendable, Equatable, CustomStringConvertible {
    /// The tree the paths make. Kept normalized, so that equal projections compare equal:
    /// `only` never maps a member to `dropped`, `allBut` never maps one to `whole` and is never
    /// empty (that is `whole`).
    indirect enum Selection: Sendable, Equatable {
        /// The value as it is.
        case whole
        /// Not at all.
        case dropped
        /// An object's named members (each narrowed in turn); the others are dropped.
        case only([String: Selection])
        /// An object's members, the named ones narrowed (or dropped) in turn.
        case allBut([String: Selection])
    }

    /// What a reader does with one member of an object (or, for arrays, with every element).
    public enum Member: Sendable, Equatable {
        case kept
        case dropped
        /// Kept narrowed by the node with this number: its members are asked about in turn.
        case narrowed(Int)
    }

    /// One object level of the tree, numbered by its place in `nodes`, with member names as
    /// bytes so that readers compare them without making strings.
    struct Node: Sendable {
        let keepsUnnamed: Bool
        let names: [[UInt8]]
        let members: [Member]
    }

    let selection: Selection
    private let nodes: [Node]

    init(_ selection: Selection) {
        self.selection = selection
        var nodes: [Node] = []
        Self.number(selection, into: &nodes)
        self.nodes = nodes
    }

    /// Keeps everything.
    public static let everything = JSONProjection(.whole)

    /// Keeps each of `paths` (member names from the top) and what is under it.
    public init(keeping paths: [[String]]) {
        self = paths.reduce(JSONProjection(.only([:]))) { kept, path in
            kept.union(JSONProjection(path.reversed().reduce(Selection.whole) { inner, name in .only([name: inner]) }))
        }
    }

    public static func == (a: JSONProjection, b: JSONProjection) -> Bool { a.selection == b.selection }

    public var keepsEverything: Bool { selection == .whole }

    /// What is done with the document itself: kept whole, or narrowed from node 0.
    public var root: Member { Self.member(for: selection, numbered: 0) }

    /// What is kept of either.
    public func union(_ other: JSONProjection) -> JSONProjection {
        JSONProjection(Self.union(selection, other.selection))
    }

    /// The same, less what is at `path` (where it was kept).
    public func excluding(_ path: [String]) -> JSONProjection {
        JSONProjection(Self.excluding(path[...], from: selection))
    }

    /// Whether anything at `path` is kept: the path leads through kept members to a value kept
    /// whole or narrowed.
    public func keeps(_ path: [String]) -> Bool {
        var member = root
        for name in path {
            guard case .narrowed(let node) = member else { return member == .kept }
            member = Array(name.utf8).withUnsafeBytes { self.member(named: $0, of: node) }
        }
        return member != .dropped
    }

    /// What is done with the member `name` (its bytes, unescaped) of an object read through
    /// `node`; for an array read through `node`, each element is read through it too.
    public func member(named name: UnsafeRawBufferPointer, of node: Int) -> Member {
        let level = nodes[node]
        for (index, candidate) in level.names.enumerated()
        where candidate.count == name.count && candidate.withUnsafeBytes({ $0.elementsEqual(name) }) {
            return level.members[index]
        }
        return level.keepsUnnamed ? .kept : .dropped
    }

    /// The kept paths, sorted, with what is left out of a kept member after `except`:
    /// `metadata (except managedFields)`, `status.phase`.
    public var description: String {
        Self.describe(selection, at: []).joined(separator: ", ")
    }
}

extension JSONProjection {
    private static func number(_ selection: Selection, into nodes: inout [Node]) {
        let members: [String: Selection]
        switch selection {
        case .whole, .dropped: return
        case .only(let named), .allBut(let named): members = named
        }
        // Children are numbered after their parent, depth first: the parent's slot is taken first.
        let slot = nodes.count
        nodes.append(Node(keepsUnnamed: false, names: [], members: []))
        var names: [[UInt8]] = [], kinds: [Member] = []
        for name in members.keys.sorted() {
            names.append(Array(name.utf8))
            kinds.append(member(for: members[name]!, numbered: nodes.count))
            number(members[name]!, into: &nodes)
        }
        let keepsUnnamed = if case .allBut = selection { true } else { false }
        nodes[slot] = Node(keepsUnnamed: keepsUnnamed, names: names, members: kinds)
    }

    private static func member(for selection: Selection, numbered next: Int) -> Member {
        switch selection {
        case .whole: .kept
        case .dropped: .dropped
        case .only, .allBut: .narrowed(next)
        }
    }

    static func union(_ a: Selection, _ b: Selection) -> Selection {
        switch (a, b) {
        case (.whole, _), (_, .whole): return .whole
        case (.dropped, let other), (let other, .dropped): return other
        case (.only(let x), .only(let y)):
            return .only(x.merging(y) { union($0, $1) })
        case (.allBut(let x), .allBut(let y)):
            // A member only one side narrows is whole on the other.
            return allBut(x.filter { y[$0.key] != nil }.mapValuesWithKeys { key, value in union(value, y[key]!) })
        case (.allBut(let x), .only(let y)), (.only(let y), .allBut(let x)):
            return allBut(x.mapValuesWithKeys { key, value in union(value, y[key] ?? .dropped) })
        }
    }

    static func excluding(_ path: ArraySlice<String>, from selection: Selection) -> Selection {
        guard let name = path.first else { return .dropped }
        let rest = path.dropFirst()
        switch selection {
        case .dropped: return .dropped
        case .whole: return allBut([name: excluding(rest, from: .whole)])
        case .only(var members):
            guard let member = members[name] else { return selection }
            members[name] = excluding(rest, from: member)
            return .only(members.filter { $0.value != .dropped })
        case .allBut(var members):
            members[name] = excluding(rest, from: members[name] ?? .whole)
            return allBut(members)
        }
    }

    /// `allBut` normalized: members kept whole are not named, and nothing named is `whole`.
    private static func allBut(_ members: [String: Selection]) -> Selection {
        let narrowed = members.filter { $0.value != .whole }
        return narrowed.isEmpty ? .whole : .allBut(narrowed)
    }

    private static func describe(_ selection: Selection, at path: [String]) -> [String] {
        let here = path.joined(separator: ".")
        switch selection {
        case .whole: return [path.isEmpty ? "everything" : here]
        case .dropped: return []
        case .only(let members):
            return members.keys.sorted().flatMap { describe(members[$0]!, at: path + [$0]) }
        case .allBut(let members):
            let left = members.keys.sorted().map { name in
                members[name] == .dropped ? name : "\(name): \(describe(members[name]!, at: []).joined(separator: ", "))"
            }
            return ["\(path.isEmpty ? "everything" : here) (except \(left.joined(separator: "; ")))"]
        }
    }
}

extension Dictionary {
    fileprivate func mapValuesWithKeys<T>(_ transform: (Key, Value) -> T) -> [Key: T] {
        Dictionary<Key, T>(uniqueKeysWithValues: map { ($0.key, transform($0.key, $0.value)) })
    }
}
