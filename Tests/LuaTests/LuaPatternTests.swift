import CLua
import Testing
@testable import Lua

private func b(_ text: String) -> [UInt8] { Array(text.utf8) }

/// The Swift pattern matcher against Lua 5.4's string library, on hand-picked cases, plus the
/// properties Lua cannot show: interruption and bounded recursion.
@Suite struct LuaPatternTests {
    /// Subject and pattern pairs covering every pattern feature. Each runs through find, plain
    /// find, match and gmatch from several `init`s, and through gsub with each replacement kind.
    static let corpus: [(String, String)] = [
        // Plain characters, `.`, empty pattern and subject.
        ("hello world", "o"), ("hello world", "o w"), ("hello", ""), ("", ""), ("", "a"), ("", ".*"),
        ("hello", "."), ("hello", ".."), ("hello", "xyz"), ("aaa", "aa"), ("a.b", "."), ("a.b", "%."),
        ("a+b", "a+b"), ("a+b", "a%+b"), ("x)", ")"), ("(x", "x)"), ("a]b", "]"), ("a]b", "a]"),
        // Classes and complements.
        ("abc123 DEF\t\n!?", "%a+"), ("abc123 DEF\t\n!?", "%A+"), ("abc123 DEF", "%d+"),
        ("abc123 DEF", "%D+"), ("abc123 DEF\t\n", "%s+"), ("abc123 DEF\t\n", "%S+"),
        ("abc123 DEF", "%l+"), ("abc123 DEF", "%L+"), ("abc123 DEF", "%u+"), ("abc123 DEF", "%U+"),
        ("ab_1 9!", "%w+"), ("ab_1 9!", "%W+"), ("0x1fG", "%x+"), ("0x1fG", "%X+"),
        ("a,b;c!d", "%p"), ("a,b;c!d", "%P+"), ("a\u{1}b\u{7F}c", "%c"), ("a\u{1}b\u{7F}c", "%C+"),
        ("a b\tc", "%g+"), ("a b\tc", "%G"), ("caf\u{E9} ok", "%a+"), ("caf\u{E9}", "[\u{C3}\u{A9}]+"),
        ("%d", "%%d"), ("q", "%q"), ("zZ", "%z"), ("zZ", "%Z"), ("a1", "%1"), ("x", "%0"),
        // Sets: ranges, classes, complements, `]` first, `-` placement, escapes.
        ("hello123", "[a-z]+"), ("hello123", "[^a-z]+"), ("Hello", "[A-Z][a-z]*"), ("a-z", "[a-]+"),
        ("a-z", "[-a]+"), ("a-z", "[z-a]"), ("x]y", "[]]"), ("x]y", "[^]]+"), ("x]y", "[]x]+"),
        ("a^b", "[%^]"), ("a^b", "[b^]+"), ("1 2_x", "[%d_]+"), ("1 2_x", "[^%s]+"), ("a%b", "[%%]"),
        ("[x]", "[%[%]]"), ("a.b", "[.]"), ("abc", "[%a-z]+"), ("a-c", "[%a-]+"), ("abc", "[]"),
        ("abc", "[^]"), ("abc", "[a"), ("abc", "[%"), ("abc", "[a%]"), ("abc", "[]a"), ("abc", "[^"),
        // Quantifiers.
        ("aaab", "a*"), ("aaab", "a+"), ("aaab", "a-"), ("aaab", "a-b"), ("aaab", "a?"), ("aaab", "a?b"),
        ("b", "a?b"), ("b", "a*b"), ("b", "a+b"), ("<a><b>", "<.->"), ("<a><b>", "<.*>"),
        ("one two", "%a+%s*"), ("key = value", "(%w+)%s*=%s*(%w+)"), ("  trim  ", "^%s*(.-)%s*$"),
        ("xxx", "x-$"), ("abc", "a.-c"), ("abc", ".-"), ("abc", ".-$"), ("aaa", "a-a"), ("*", "*"),
        ("a*", "a**"), ("+", "+"), ("?", "?x"), ("--", "-"),
        // Anchors.
        ("hello", "^h"), ("hello", "^e"), ("hello", "o$"), ("hello", "l$"), ("hello", "^hello$"),
        ("a^b", "a^b"), ("a$b", "a$b"), ("a$", "$"), ("", "^$"), ("abc", "^"), ("abc", "$"),
        ("^a", "^^a"), ("ab$", "b$$"), ("ab", "^(a)$"), ("ab", "(b$)"), ("b$", "(b$)"),
        // Captures and position captures.
        ("hello world", "(h)(e)(l)"), ("hello world", "(h(el)lo)"), ("hello", "()ll()"), ("hello", "()"),
        ("hello", "(l+)()"), ("hello", "()(l)()"), ("", "()"), ("abc", "(a)(.-)(c)"),
        ("date: 2024-01-15", "(%d+)-(%d+)-(%d+)"), ("a", "((((a))))"), ("ab", "(a)(b)()"),
        // Unbalanced and misplaced captures.
        ("abc", "(a"), ("abc", "a)"), ("abc", "(a))"), ("abc", "((a)"), ("abc", "x(a"), ("abc", ")"),
        ("abc", "(()"), ("abc", "(a)%2"), ("abc", "(a%1)"), ("abc", "%1(a)"),
        // Back-references.
        ("abab", "(ab)%1"), ("abcabc", "(a)(b)(c)%1%2%3"), ("say \"hi\" 'x'", "([\"'])(.-)%1"),
        ("aaaa", "(a+)%1"), ("xyz", "()%1"), ("aXa", "(a).%1"), ("abba", "(a)(b)%2%1"),
        // %b.
        ("f(a(b)c) d", "%b()"), ("f(a(b c) d", "%b()"), ("[[x]] [y]", "%b[]"), ("\"q\" \"r\"", "%b\"\""),
        ("((()))", "%b()"), ("x", "%b"), ("x", "%bx"), ("xy", "%bxy"), ("(a)(b)", "%b()%b()"),
        ("(a)b", "%b()-"), ("if (x) then", "(%b())"),
        // %f.
        ("THE (quick) fox", "%f[%a]%a+"), ("THE (quick) fox", "%f[%a]%a+%f[%A]"), ("hello", "%f[%l]"),
        ("hello", "%f[%z]"), ("the then there", "%f[%w]the%f[%W]"), ("abc", "%fa"), ("abc", "%f"),
        ("abc", "%f[^a]"), ("a", "%f[a]"), ("", "%f[%z]"), ("ab", "%f[^%z]"), ("x\0y", "%f[%z]"),
        // Embedded zeros and high bytes.
        ("a\0b\0c", "%z"), ("a\0b", "\0"), ("a\0b", "[\0]"), ("a\0b", ".%z?b"), ("\u{FF}\u{FE}", "[\u{FE}-\u{FF}]+"),
        // Malformed patterns, reached and not reached.
        ("abc", "%"), ("abc", "a%"), ("xyz", "a%"), ("abc", "[a-"), ("abc", "%b("), ("abc", "(%"),
        ("abc", "%g%"), ("bbb", "a[x"), ("abc", "a(b"),
    ]

    static let inits: [Int?] = [nil, 1, 2, 0, -1, -2, -100, 3, 4, 5, 100]
    static let templates = ["<%0>", "%1", "[%2|%1]", "%%", "x", "", "%", "a%", "%x", "%9", "%1%1", "\0%0"]

    @Test func handPickedCasesAgreeWithLua() {
        let run = PatternDifferential()
        for (subject, pattern) in Self.corpus {
            for initial in Self.inits {
                run.everySearch(b(subject), b(pattern), init: initial)
            }
            for (index, template) in Self.templates.enumerated() {
                run.gsub(b(subject), b(pattern), b(template), n: index % 3 == 0 ? nil : index % 4)
            }
            for n in [nil, 0, 1, 2, -1] as [Int?] {
                run.gsubFunction(b(subject), b(pattern), n: n)
                run.gsubTable(b(subject), b(pattern), n: n)
            }
        }
        #expect(run.failures.isEmpty, "\(run.failures.joined(separator: "\n"))")
        #expect(run.comparisons == Self.corpus.count * (Self.inits.count * 4 + Self.templates.count + 10))
    }

    /// gmatch and gsub around empty matches (Lua 5.4 skips an empty match at the end of the
    /// previous one), `n` limits, and replacement strings with every kind of capture.
    @Test func gsubAndGmatchDetailsAgreeWithLua() {
        let run = PatternDifferential()
        let cases: [(String, String, String, Int?)] = [
            ("abc", "", "-", nil), ("abc", "b*", "-", nil), ("abc", "x*", "-", nil), ("abc", "%w*", "[%0]", nil),
            ("abc", "", "-", 2), ("abc", "", "-", 0), ("abc", "", "-", -5), ("abc", ".", "%0%0", 2),
            ("hello world", "o", "0", 1), ("hello world", "(o)", "[%1]", nil), ("hello world", "()o", "%1", nil),
            ("hello", "()(l)()", "%3%2%1", nil), ("hello", "l", "%1", nil), ("hello", "l", "%2", nil),
            ("hello", "(l)", "%2", nil), ("hello", "(l", "%1", nil), ("hello", "(l", "x", nil),
            ("hello", "l", "%", nil), ("hello", "l", "%a", nil), ("hello", "z", "%a", nil),
            ("hello", "^h", "H", nil), ("hello", "^", ">", nil), ("hello", "$", "<", nil), ("hello", "^$", "!", nil),
            ("hello", "^l*", "-", nil), ("hello", "l*$", "-", nil), ("a,b,,c", "[^,]*", "<%0>", nil),
            ("a,b,,c", ",?", "|", nil), ("  x  y  ", "%s*", "_", nil), ("abc", ".-", "+", nil),
            ("abc", "()", "%1", nil), ("abab", "(a)(b)", "%2%1", 1), ("x = 1, y = 2", "(%w+) = (%w+)", "%2 = %1", nil),
            ("$name and $other", "%$(%w+)", "<%1>", nil), ("abc", "b", "%%1", nil), ("abc", "b", "\0", nil),
        ]
        for (subject, pattern, template, n) in cases {
            run.gsub(b(subject), b(pattern), b(template), n: n)
            run.gsubFunction(b(subject), b(pattern), n: n)
            run.gsubTable(b(subject), b(pattern), n: n)
            for initial in [nil, 2, -1, 3, 4, 5] as [Int?] {
                run.gmatch(b(subject), b(pattern), init: initial)
            }
        }
        #expect(run.failures.isEmpty, "\(run.failures.joined(separator: "\n"))")
        #expect(run.comparisons == cases.count * 9)
    }

    /// The depth limit, the capture limit and their interplay, against Lua.
    @Test func limitsAgreeWithLua() {
        let run = PatternDifferential()
        let a300 = String(repeating: "a", count: 300)
        let patterns = [
            String(repeating: "a?", count: 300), String(repeating: "a?", count: 199), String(repeating: "a?", count: 198),
            String(repeating: "a*", count: 250), String(repeating: "a-", count: 250), String(repeating: "(", count: 300),
            String(repeating: "(", count: 32), String(repeating: "(", count: 33),
            String(repeating: "(", count: 32) + String(repeating: ")", count: 32),
            String(repeating: "(a)", count: 33), String(repeating: "()", count: 32), String(repeating: "()", count: 33),
            String(repeating: "(a", count: 150) + String(repeating: ")", count: 150),
            String(repeating: "b?", count: 300), String(repeating: "a", count: 300) + "%1",
        ]
        for pattern in patterns {
            for subject in [a300, "", "aaa", "b"] {
                run.find(b(subject), b(pattern))
                run.match(b(subject), b(pattern))
                run.gsub(b(subject), b(pattern), b("%1"), n: 2)
            }
        }
        #expect(run.failures.isEmpty, "\(run.failures.joined(separator: "\n"))")
    }

    @Test func deepNestingFailsCleanly() throws {
        let subject = b(String(repeating: "a", count: 400))
        for pattern in [String(repeating: "(", count: 300) + "a" + String(repeating: ")", count: 300),
                        String(repeating: "a?", count: 300), String(repeating: "(a", count: 300)] {
            let error = subject.withUnsafeBufferPointer { sb in
                b(pattern).withUnsafeBufferPointer { pb in
                    #expect(throws: LuaPatternError.self) { try LuaPattern.match(sb, pb) }
                    return (try? LuaPattern.match(sb, pb)) == nil
                }
            }
            #expect(error)
        }
        let nested = b(String(repeating: "(", count: 300))
        let tooComplex = b(String(repeating: "a?", count: 300))
        subject.withUnsafeBufferPointer { sb in
            nested.withUnsafeBufferPointer { pb in
                _ = #expect(throws: LuaPatternError.tooManyCaptures) { try LuaPattern.find(sb, pb) }
            }
            tooComplex.withUnsafeBufferPointer { pb in
                _ = #expect(throws: LuaPatternError.patternTooComplex) { try LuaPattern.find(sb, pb) }
            }
        }
    }

    /// The classic catastrophic pattern: without metering it runs for ages. The check stops it.
    @Test func pathologicalMatchIsInterrupted() {
        let subject = b(String(repeating: "a", count: 20000))
        let pattern = b(".-.-.-.-b")
        var calls = 0
        var steps = 0
        let budget = 2_000_000
        let outcome = subject.withUnsafeBufferPointer { sb in
            pattern.withUnsafeBufferPointer { pb in
                Result { () throws(LuaPatternError) in
                    try LuaPattern.find(sb, pb) { spent in
                        calls += 1
                        steps += spent
                        return steps < budget
                    }
                }
            }
        }
        #expect(throws: LuaPatternError.interrupted) { try outcome.get() }
        #expect(steps >= budget && steps < budget + 2 * LuaPattern.stepCheckInterval)
        #expect(calls == steps / LuaPattern.stepCheckInterval)

        // The same through gsub and gmatch.
        subject.withUnsafeBufferPointer { sb in
            pattern.withUnsafeBufferPointer { pb in
                #expect(throws: LuaPatternError.interrupted) {
                    try LuaPattern.gsub(sb, pb, template: pb, check: { _ in false })
                }
                var state = LuaGmatchState(subjectLength: sb.count)
                #expect(throws: LuaPatternError.interrupted) { try state.next(sb, pb, check: { _ in false }) }
                let plain = b(String(repeating: "a", count: 500) + "b")
                plain.withUnsafeBufferPointer { needle in
                    _ = #expect(throws: LuaPatternError.interrupted) {
                        try LuaPattern.find(sb, needle, plain: true, check: { _ in false })
                    }
                }
            }
        }
    }

    /// Short matches never reach a checkpoint; long ones call the check once per interval and,
    /// while it agrees, finish with the right answer.
    @Test func meteringOnlyChecksLongWork() throws {
        var calls = 0
        let line = b("key = value # comment")
        let found = try line.withUnsafeBufferPointer { sb in
            try b("^(%w+)%s*=%s*(%w+)").withUnsafeBufferPointer { pb in
                try LuaPattern.match(sb, pb) { _ in calls += 1; return false }
            }
        }
        #expect(found == [.range(0 ..< 3), .range(6 ..< 11)])
        #expect(calls == 0)

        var spentTotal = 0
        let long = b(String(repeating: "ab", count: 10000) + "c")
        let end = try long.withUnsafeBufferPointer { sb in
            try b("[ab]*c").withUnsafeBufferPointer { pb in
                try LuaPattern.find(sb, pb) { spent in
                    calls += 1
                    spentTotal += spent
                    #expect(spent >= LuaPattern.stepCheckInterval)
                    return true
                }
            }
        }
        #expect(end?.range == 0 ..< 20001)
        #expect(calls > 0 && spentTotal >= calls * LuaPattern.stepCheckInterval)
    }

    @Test func findReportsPositionsAndCaptures() throws {
        let subject = b("key = value")
        let found = try subject.withUnsafeBufferPointer { sb in
            try b("()(%w+)%s*=").withUnsafeBufferPointer { pb in try LuaPattern.find(sb, pb) }
        }
        #expect(found == LuaPatternMatch(range: 0 ..< 5, captures: [.position(1), .range(0 ..< 3)]))
        #expect(found?.start == 1 && found?.end == 5)
    }

    @Test func errorMessagesAreLuas() {
        #expect(LuaPatternError.invalidCaptureIndex(3).description == "invalid capture index %3")
        #expect(LuaPatternError.endsWithEscape.description == "malformed pattern (ends with '%')")
        #expect(LuaPatternError.invalidReplacementEscape.description == "invalid use of '%' in replacement string")
    }
}
