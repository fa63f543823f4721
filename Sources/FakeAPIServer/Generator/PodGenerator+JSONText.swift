/// JSON written as text, field by field, in the order the API server writes pods.
extension PodGenerator {
    /// Minimal JSON text builders: values are already-encoded JSON fragments.
    enum J {
        static func str(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case _ where scalar.value < 0x20:
                    out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }

        static func obj(_ fields: [(String, String)]) -> String {
            "{" + fields.map { str($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
        }

        static func arr(_ items: [String]) -> String {
            "[" + items.joined(separator: ",") + "]"
        }

        static let empty = "{}"
        static let null = "null"

        static func bool(_ b: Bool) -> String { b ? "true" : "false" }
        static func num(_ n: Int) -> String { String(n) }
    }
}
