import CJSONBlocks
import ContainerIndexOracle
import JSONBytes
import Testing

/// The bracket counter of the JSON byte layer, which steps over 64 clean bytes at a time and
/// scans the rest byte by byte: held against the plain oracle's index on generated texts fed
/// whole and in pieces of every size around a block's, and its errors found at their byte
/// wherever they fall against the blocks.
@Suite struct JSONContainerScannerTests {
    /// A deterministic generator of JSON values: nested objects and arrays, strings holding
    /// brackets, quotes and backslashes (escaped), non-ASCII, numbers and literals, with or
    /// without whitespace between tokens.
    struct Generator {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }

        mutating func space(_ spaced: Bool) -> String { spaced && next(3) == 0 ? [" ", "\n", "\t", "\r\n"][next(4)] : "" }

        mutating func string() -> String {
            let pieces = ["a", "name", "{", "}", "[", "]", "\\\"", "\\\\", "\\n", "\\u00e9", "é", "😀", ",", ":", "web-7d9f", "\\/", " "]
            return "\"" + (0..<next(12)).map { _ in pieces[next(pieces.count)] }.joined() + "\""
        }

        mutating func value(depth: Int, spaced: Bool) -> String {
            switch depth > 4 ? next(3) : next(6) {
            case 0: return string()
            case 1: return ["0", "-12.5e3", "true", "false", "null", "42"][next(6)]
            case 2: return string()
            case 3, 4:
                let members = (0..<next(6)).map { _ in
                    space(spaced) + string() + space(spaced) + ":" + space(spaced) + value(depth: depth + 1, spaced: spaced) + space(spaced)
                }
                return "{" + members.joined(separator: ",") + "}"
            default:
                let elements = (0..<next(6)).map { _ in space(spaced) + value(depth: depth + 1, spaced: spaced) + space(spaced) }
                return "[" + elements.joined(separator: ",") + "]"
            }
        }

        /// An object of at least `length` bytes.
        mutating func object(atLeast length: Int, spaced: Bool) -> [UInt8] {
            var members: [String] = []
            var text = "{}"
            while text.utf8.count < length {
                members.append(string() + ":" + space(spaced) + value(depth: 1, spaced: spaced))
                text = "{" + members.joined(separator: "," + space(spaced)) + "}"
            }
            return Array(text.utf8)
        }
    }

    /// Scans `bytes` (an object, then `trailing` bytes after it) handed over in pieces of
    /// `piece` bytes, as the framer does; the end and the index, or the error.
    static func scan(_ bytes: [UInt8], piece: Int, shortestIndexed: Int) -> Result<(end: Int, index: JSONContainerIndex), JSONSyntaxError> {
        var scanner = JSONContainerScanner(shortestIndexed: shortestIndexed)
        return bytes.withUnsafeBufferPointer { buffer in
            var count = 0
            repeat {
                count = min(buffer.count, count + piece)
                do throws(JSONSyntaxError) {
                    if let end = try scanner.scan(buffer.baseAddress!, count: count) { return .success((end, scanner.index)) }
                } catch {
                    return .failure(error)
                }
            } while count < buffer.count
            return .failure(JSONSyntaxError(.unterminatedContainer, at: 0))
        }
    }

    static let pieces = [1, 7, 63, 64, 65, 100, 128, 1 << 20]

    @Test(arguments: [false, true])
    func theIndexAndTheEndAreTheOraclesWhateverThePiecesTheTextComesIn(spaced: Bool) {
        var generator = Generator(state: spaced ? 7 : 11)
        for _ in 0..<40 {
            let object = generator.object(atLeast: 64 + generator.next(2_000), spaced: spaced)
            let text = object + Array(#" {"next":1}"#.utf8)
            for shortest in [0, 64] {
                let expected = PlainContainerIndex.of(object, shortestIndexed: shortest)
                for piece in Self.pieces {
                    let scanned = Self.scan(text, piece: piece, shortestIndexed: shortest)
                    guard case .success(let (end, index)) = scanned else {
                        Issue.record("\(scanned) for \(String(decoding: object, as: UTF8.self))")
                        return
                    }
                    #expect(end == object.count, "piece \(piece)")
                    #expect(index == expected, "piece \(piece), shortest \(shortest): \(String(decoding: object, as: UTF8.self))")
                }
            }
        }
    }

    /// A defect inside a string at every offset of a long clean text: found at its byte, with
    /// its reason, however the text is handed over.
    @Test(arguments: [
        ([UInt8(0x01)], JSONSyntaxError.Reason.controlCharacter(0x01)),
        (Array(#"\q"#.utf8), .invalidEscape(UInt8(ascii: "q"))),
        (Array(#"\u12G4"#.utf8), .invalidUnicodeEscape),
        (Array(#"\udc00"#.utf8), .loneSurrogate(0xDC00)),
        ([UInt8(0xC3), 0x28], .invalidUTF8),
    ])
    func aDefectInAStringIsFoundAtItsByteWhereverItFallsAgainstTheBlocks(defect: [UInt8], reason: JSONSyntaxError.Reason) {
        let prefix = Array(#"{"metadata":{"name":"web","labels":{"app":"web","tier":"front"}},"note":""#.utf8)
        let filler = Array(repeating: UInt8(ascii: "x"), count: 200)
        for offset in 0..<140 {
            let text = prefix + filler[..<offset] + defect + filler[offset...] + Array(#""}"#.utf8)
            for piece in [1, 64, 65, 1 << 20] {
                guard case .failure(let error) = Self.scan(text, piece: piece, shortestIndexed: 64) else {
                    Issue.record("no error for the defect at \(prefix.count + offset), piece \(piece)")
                    return
                }
                #expect(error == JSONSyntaxError(reason, at: prefix.count + offset), "piece \(piece)")
            }
        }
    }

    /// A string that runs across a block's edge hides the brackets in it, whichever side they
    /// fall on; the bracket right after it counts.
    @Test func aBracketRightAfterAStringThatEndsABlockCountsAndOneInsideDoesNot() {
        for length in 50..<140 {
            let inner = String(repeating: "b", count: length)
            let object = Array(#"{"a":"\#(inner)]}[","c":[1,{"d":"}"}],"e":"\#(inner)"}"#.utf8)
            for piece in Self.pieces {
                guard case .success(let (end, index)) = Self.scan(object + Array("{}".utf8), piece: piece, shortestIndexed: 0) else {
                    Issue.record("failed at length \(length), piece \(piece)")
                    return
                }
                #expect(end == object.count)
                #expect(index == PlainContainerIndex.of(object), "length \(length), piece \(piece)")
            }
        }
    }

    /// The scanner counts brackets and checks strings, nothing else: a backslash outside a
    /// string is passed over (a reader refuses it later), so the quote after it opens a string,
    /// as the oracle has it, wherever the two fall against the blocks. Likewise an escaped
    /// quote or backslash at each place around a block's edge.
    @Test func backslashesOutsideAndInsideStringsAtEveryPlaceAgainstTheBlocks() {
        for pad in 0..<140 {
            let filler = String(repeating: "x", count: pad)
            let texts = [
                #"{"p":"\#(filler)",\"k":[1,{"z":2}],"m":"{","n":[\"]"]}"#,
                #"{"p":"\#(filler)\"[\\","q":[{"r":"\\\""},"\\\\\"}"]}"#,
                #"{"p":"\#(filler)\n\t\/\b\f\r","q":[{}]}"#,
            ]
            for text in texts.map({ Array($0.utf8) }) {
                for piece in Self.pieces {
                    guard case .success(let (end, index)) = Self.scan(text + Array("[]".utf8), piece: piece, shortestIndexed: 0) else {
                        Issue.record("failed: \(String(decoding: text, as: UTF8.self)), piece \(piece)")
                        return
                    }
                    #expect(end == text.count && index == PlainContainerIndex.of(text), "\(String(decoding: text, as: UTF8.self)), piece \(piece)")
                }
            }
        }
    }

    /// The classifier the scanner uses (SSE2 on x86-64) and the portable one other machines use
    /// give the same masks, on blocks drawn from the bytes that matter and their neighbours.
    @Test func theBlockClassifierAgreesWithThePortableOneOnEveryKindOfByte() {
        let alphabet: [UInt8] = Array(#""\{}[]azAZ09:,/ "#.utf8) + [0x00, 0x09, 0x0A, 0x1F, 0x20, 0x5A, 0x5C, 0x7A, 0x7B, 0x7D, 0x7F, 0x80, 0xC3, 0xFF]
        var generator = Generator(state: 3)
        for _ in 0..<2_000 {
            let block = (0..<64).map { _ in alphabet[generator.next(alphabet.count)] }
            let (fast, portable) = block.withUnsafeBufferPointer { (kl_json_classify($0.baseAddress!), kl_json_classify_bytes($0.baseAddress!)) }
            #expect(
                [fast.quotes, fast.backslashes, fast.opens, fast.closes, fast.specials]
                    == [portable.quotes, portable.backslashes, portable.opens, portable.closes, portable.specials], "\(block)")
        }
        // Every byte value once, each class checked against its definition.
        let everyByte = (0..<256).map { UInt8($0) }
        for start in stride(from: 0, to: 256, by: 64) {
            let block = Array(everyByte[start..<(start + 64)])
            func mask(_ member: (UInt8) -> Bool) -> UInt64 {
                block.indices.reduce(0) { member(block[$1]) ? $0 | 1 << UInt64($1) : $0 }
            }
            let expected = [
                mask { $0 == UInt8(ascii: "\"") }, mask { $0 == UInt8(ascii: "\\") },
                mask { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }, mask { $0 == UInt8(ascii: "}") || $0 == UInt8(ascii: "]") },
                mask { $0 < 0x20 || $0 >= 0x80 },
            ]
            for classified in block.withUnsafeBufferPointer({ [kl_json_classify($0.baseAddress!), kl_json_classify_bytes($0.baseAddress!)] }) {
                #expect([classified.quotes, classified.backslashes, classified.opens, classified.closes, classified.specials] == expected, "\(start)")
            }
        }
    }
}
