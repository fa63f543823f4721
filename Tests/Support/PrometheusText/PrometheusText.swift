/// A parser of the Prometheus text exposition format (0.0.4), strict enough that a malformed
/// `/metrics` fails the test: every sample's family must have a `# TYPE` line first, names and
/// label names must be valid, label values quoted with `\\`, `\"` and `\n` escapes.
public struct PrometheusText {
    public struct Sample: Equatable {
        public let name: String
        public let labels: [String: String]
        public let value: Double
    }

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    public private(set) var samples: [Sample] = []
    public private(set) var types: [String: String] = [:]

    public init(parsing text: String) throws {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            try parse(Substring(line), line: number + 1)
        }
    }

    /// The value of the one sample with exactly these labels, nil when there is none.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples.filter { $0.name == name && $0.labels == labels }
        return matching.count == 1 ? matching[0].value : nil
    }

    /// The samples of `name` whose labels include `labels`.
    public func samples(_ name: String, where labels: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
    }

    private mutating func parse(_ line: Substring, line number: Int) throws {
        if line.isEmpty { return }
        if line.hasPrefix("#") {
            let words = line.split(separator: " ", maxSplits: 3)
            if words.count >= 4, words[1] == "TYPE" {
                guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(words[3]) else {
                    throw ParseError(description: "line \(number): unknown type \(words[3])")
                }
                guard types[String(words[2])] == nil else { throw ParseError(description: "line \(number): second TYPE for \(words[2])") }
                types[String(words[2])] = String(words[3])
            }
            return
        }
        var rest = line[...]
        let name = Self.takeName(&rest, allowColon: true)
        guard !name.isEmpty else { throw ParseError(description: "line \(number): no metric name in \(line)") }
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest.removeFirst()
            while rest.first != "}" {
                let label = Self.takeName(&rest, allowColon: false)
                guard !label.isEmpty, rest.first == "=", rest.dropFirst().first == "\"" else {
                    throw ParseError(description: "line \(number): bad label in \(line)")
                }
                rest.removeFirst(2)
                labels[label] = try Self.takeQuoted(&rest, line: number)
                if rest.first == "," { rest.removeFirst() } else if rest.first != "}" {
                    throw ParseError(description: "line \(number): expected , or } in \(line)")
                }
            }
            rest.removeFirst()
        }
        let fields = rest.split(separator: " ")
        guard rest.first == " ", (1...2).contains(fields.count), let value = Self.number(fields[0]) else {
            throw ParseError(description: "line \(number): bad value in \(line)")
        }
        guard types[family(of: name)] != nil else { throw ParseError(description: "line \(number): \(name) has no TYPE line before it") }
        samples.append(Sample(name: name, labels: labels, value: value))
    }

    /// The family a sample belongs to: a histogram's `_bucket`, `_sum` and `_count` samples are its.
    private func family(of name: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" || types[base] == "summary" { return base }
        }
        return name
    }

    private static func takeName(_ text: inout Substring, allowColon: Bool) -> String {
        let end = text.firstIndex { character in
            !(character.isASCII && (character.isLetter || character.isNumber || character == "_" || (allowColon && character == ":")))
        } ?? text.endIndex
        let name = text[..<end]
        guard let first = name.first, !first.isNumber else { return "" }
        text = text[end...]
        return String(name)
    }

    private static func takeQuoted(_ text: inout Substring, line: Int) throws -> String {
        var value = ""
        while let character = text.popFirst() {
            switch character {
            case "\"": return value
            case "\\":
                switch text.popFirst() {
                case "\\": value.append("\\")
                case "\"": value.append("\"")
                case "n": value.append("\n")
                default: throw ParseError(description: "line \(line): bad escape in a label value")
                }
            case "\n": throw ParseError(description: "line \(line): newline in a label value")
            default: value.append(character)
            }
        }
        throw ParseError(description: "line \(line): unterminated label value")
    }

    private static func number(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }
}
