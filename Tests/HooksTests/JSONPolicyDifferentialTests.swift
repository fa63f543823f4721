import ContainerIndexOracle
import JSONBytes
import Kube
import Lua
import Testing

/// The informer and Lua read JSON strings under one policy (the shared layer's `JSONEscape` and
/// `JSONString`): a pod whose JSON holds a given string is accepted by the informer exactly when
/// a hook can read that string, by `json.decode` or from the pod it is handed (decoded as read,
/// with or without the container index).
@Suite(.timeLimit(.minutes(1))) struct JSONPolicyDifferentialTests {
    /// Contents of a JSON string (between its quotes), as raw JSON text: valid and not.
    static let texts = [
        #"plain"#,
        #"every escape \" \\ \/ \b \f \n \r \t"#,
        #"\u00e9t\u00E9"#,
        #"pair \ud83d\ude00 and \uD83D\uDE00"#,
        #"bad \q"#,
        #"bad \x41"#,
        #"bad \U00e9"#,
        #"lone high \ud800 in the middle"#,
        #"lone high at the end \ud800"#,
        #"lone low \udc00"#,
        #"high then a non-low \ud800\u0041"#,
        #"high then a high \ud800\ud800"#,
        #"high then a plain letter \ud800x"#,
        #"truncated \u12"#,
        #"not hex \u12G4"#,
        "raw tab \t",
        "raw newline \n",
        "raw \u{01} control",
        "raw DEL \u{7F} is not a control",
        "raw UTF-8 é😀",
    ]

    /// The same as bytes, and bytes that are not UTF-8: a bad continuation, an encoded
    /// surrogate, an overlong, past U+10FFFF, a sequence cut short by the closing quote.
    static let strings: [[UInt8]] = texts.map { Array($0.utf8) }
        + [[0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0x61, 0xE2, 0x82]]

    enum Place: CaseIterable { case name, annotation }

    static func pod(_ contents: [UInt8], in place: Place) -> [UInt8] {
        let name = Array("p-".utf8) + (place == .name ? contents : [])
        let note = place == .annotation ? contents : Array("n".utf8)
        return Array(#"{"metadata":{"name":""#.utf8) + name + Array(#"","namespace":"ns","uid":"u","resourceVersion":"1","annotations":{"note":""#.utf8)
            + note + Array(#""}},"status":{"phase":"Running"}}"#.utf8)
    }

    /// The informer's answer for a watch event (framed as a stream, then parsed) carrying the
    /// pod: the pod's name, or nil when it is refused.
    static func informerWatch(_ pod: [UInt8]) -> String? {
        var framer = JSONObjectFramer()
        guard let frames = try? framer.append(Array(#"{"type":"MODIFIED","object":"#.utf8) + pod + Array("}\n".utf8)),
            let frame = frames.first, case .modified(let record)? = try? WatchEvent.parse(frame)
        else { return nil }
        return record.key.name
    }

    /// The same for a list holding the pod (lists are parsed without the framer).
    static func informerList(_ pod: [UInt8]) -> String? {
        let page = try? PodListPage.parse(Array(#"{"metadata":{"resourceVersion":"1"},"items":["#.utf8) + pod + Array("]}".utf8))
        return page?.items.first?.key.name
    }

    enum LuaRead { case decode, lazy, lazyIndexed }

    /// What a hook reads at `path` of the pod, or nil when reading it fails.
    static func lua(_ bytes: [UInt8], path: String, _ read: LuaRead) async throws -> [UInt8]? {
        let body = read == .decode ? "local ok, v = pcall(function(t) return json.decode(t).\(path) end, doc)"
            : "local ok, v = pcall(function(d) return d.\(path) end, doc)"
        let script = try LuaScript(
            source: Array("function run(doc)\n\(body)\nif ok then return v end\nreturn nil\nend".utf8),
            chunkName: "differential.lua", sandbox: LuaSandbox())
        let results = try await script.call("run", resultCount: 1) { (state) throws(LuaError) -> Int32 in
            do throws(LuaJSONError) {
                switch read {
                case .decode: state.push(.string(bytes))
                case .lazy: try state.pushLazyJSON(bytes)
                case .lazyIndexed: try state.pushLazyJSON(bytes, index: PlainContainerIndex.of(bytes))
                }
            } catch {
                throw LuaError(kind: .runtime, message: error.message)
            }
            return 1
        }
        guard case .string(let value)? = results?.first else { return nil }
        return value
    }

    @Test(arguments: strings, Place.allCases)
    func theInformerAndLuaAcceptAndRefuseTheSameStrings(contents: [UInt8], place: Place) async throws {
        let pod = Self.pod(contents, in: place)
        let watched = Self.informerWatch(pod)
        let listed = Self.informerList(pod)
        #expect(watched == listed)
        let path = place == .name ? "metadata.name" : "metadata.annotations.note"
        for read in [LuaRead.decode, .lazy, .lazyIndexed] {
            let value = try await Self.lua(pod, path: path, read)
            #expect((value != nil) == (watched != nil), "\(read) in \(place): Lua \(value == nil ? "refused" : "accepted"), the informer did not")
            // Where the informer keeps the string, it decodes it as Lua does.
            if place == .name, let value, let watched { #expect(Array(watched.utf8) == value) }
        }
    }

    /// The table's verdicts, so the differential cannot pass by refusing (or accepting) all.
    @Test func validStringsAreAcceptedAndTheRestRefused() {
        let accepted = Self.strings.filter { Self.informerWatch(Self.pod($0, in: .annotation)) != nil }
        #expect(accepted == [0, 1, 2, 3, 18, 19].map { Self.strings[$0] })
        #expect(Self.informerWatch(Self.pod(Array(#"\u00e9t\u00E9 \ud83d\ude00"#.utf8), in: .name)) == "p-été 😀")
    }
}
