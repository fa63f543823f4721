import FakeAPIServer
import Testing

/// Random patterns assembled from pieces of every kind, on short subjects over a small
/// alphabet, so matches, near misses and malformed patterns all occur often. At most three
/// quantifiers per pattern keep backtracking polynomial and small.
struct PatternGenerator {
    var random: SeededRandom

    static let subjectBytes = Array("aaaaabbbbc()[]%.- x1A\t".utf8) + [0, 0xE9]
    /// Single-character items, which may take a quantifier.
    static let items = [
        "a", "a", "a", "b", "b", ".", ".", "%a", "%a", "[ab]", "[^b]", "%w", "c", ".", "%a", "%d", "%s", "%w", "%A", "%S", "%p", "%x", "%u", "%l", "%c", "%g", "%z",
        "%.", "%%", "%(", "%]", "%-", "[ab]", "[^ab]", "[a-c]", "[%a_]", "[^%s]", "[]]", "[^]]", "[a-]",
        "[%]]", "[%d%s]", "[(]", "x", " ", "1", "-", "^", "$", "]", "\0",
    ]
    /// Pieces that never take a quantifier.
    static let fixed = ["%b()", "%b[]", "%bab", "%f[%w]", "%f[%W]", "%f[a]", "%f[%z]", "%1", "%2", "()"]
    /// Malformed or misplaced pieces, used rarely.
    static let broken = ["%", "[a", "%f", "%fa", "%b(", "%0", "%9", "(", ")", "[^", "[%"]
    static let quantifiers = ["*", "+", "-", "?"]
    static let templates = ["<%0>", "%1", "%2%1", "%%", "-", "", "%", "%x", "%3", "(%1)"]

    mutating func pick<T>(_ options: [T]) -> T { options[Int.random(in: 0 ..< options.count, using: &random)] }
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0 ..< 100, using: &random) < percent }

    mutating func subject() -> [UInt8] {
        (0 ..< Int.random(in: 0 ... 12, using: &random)).map { _ in pick(Self.subjectBytes) }
    }

    mutating func pattern() -> [UInt8] {
        var quantifiers = 3
        var text = chance(20) ? "^" : ""
        text += sequence(length: Int.random(in: 0 ... 4, using: &random), nesting: 0, quantifiers: &quantifiers)
        if chance(15) { text += "$" }
        return Array(text.utf8)
    }

    private mutating func sequence(length: Int, nesting: Int, quantifiers: inout Int) -> String {
        var text = ""
        for _ in 0 ..< length {
            switch Int.random(in: 0 ..< 100, using: &random) {
            case 0 ..< 55:
                text += pick(Self.items)
                if quantifiers > 0 && chance(40) {
                    text += pick(Self.quantifiers)
                    quantifiers -= 1
                }
            case 55 ..< 67:
                text += pick(Self.fixed)
            case 67 ..< 92 where nesting < 3:
                let inner = sequence(length: Int.random(in: 0 ... 3, using: &random), nesting: nesting + 1, quantifiers: &quantifiers)
                text += "(" + inner + ")"
            default:
                text += chance(30) ? pick(Self.broken) : pick(Self.items)
            }
        }
        return text
    }

    mutating func initial() -> Int? { chance(40) ? nil : Int.random(in: -8 ... 8, using: &random) }
    mutating func limit() -> Int? { chance(50) ? nil : Int.random(in: -1 ... 3, using: &random) }
}

extension LuaPatternTests {
    static let generatedCount = 4000

    @Test func generatedCasesAgreeWithLua() {
        var generator = PatternGenerator(random: SeededRandom(seed: 0x5EED_1234))
        let run = PatternDifferential()
        for _ in 0 ..< Self.generatedCount {
            let subject = generator.subject()
            let pattern = generator.pattern()
            run.everySearch(subject, pattern, init: generator.initial())
            run.everyGsub(subject, pattern, template: Array(generator.pick(PatternGenerator.templates).utf8), n: generator.limit())
        }
        #expect(run.failures.isEmpty, "\(run.failures.joined(separator: "\n"))")
        #expect(run.comparisons == Self.generatedCount * 7)
    }
}
