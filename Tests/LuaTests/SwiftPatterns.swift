@testable import Lua

/// The Swift implementation behind the same flattened interface as `LuaOracle`'s helpers.
enum SwiftPatterns {
    static func outcome(_ body: () throws -> [LuaTestValue]) -> LuaTestOutcome {
        do {
            return .values(try body())
        } catch let error as LuaPatternError {
            return .error(error.description)
        } catch {
            return .error("unexpected \(error)")
        }
    }

    static func value(_ capture: LuaCapture, in subject: [UInt8]) -> LuaTestValue {
        switch capture {
        case .range(let range): .bytes(Array(subject[range]))
        case .position(let position): .int(position)
        }
    }

    static func find(_ s: [UInt8], _ p: [UInt8], init initial: Int?, plain: Bool) -> LuaTestOutcome {
        outcome {
            try s.withUnsafeBufferPointer { sb in
                try p.withUnsafeBufferPointer { pb in
                    guard let found = try LuaPattern.find(sb, pb, init: initial ?? 1, plain: plain) else {
                        return [.nil]
                    }
                    return [.int(found.start), .int(found.end)] + found.captures.map { value($0, in: s) }
                }
            }
        }
    }

    static func match(_ s: [UInt8], _ p: [UInt8], init initial: Int?) -> LuaTestOutcome {
        outcome {
            try s.withUnsafeBufferPointer { sb in
                try p.withUnsafeBufferPointer { pb in
                    guard let values = try LuaPattern.match(sb, pb, init: initial ?? 1) else { return [.nil] }
                    return values.map { value($0, in: s) }
                }
            }
        }
    }

    static func gmatch(_ s: [UInt8], _ p: [UInt8], init initial: Int?) -> LuaTestOutcome {
        outcome {
            try s.withUnsafeBufferPointer { sb in
                try p.withUnsafeBufferPointer { pb in
                    var state = LuaGmatchState(subjectLength: s.count, init: initial ?? 1)
                    var out: [LuaTestValue] = []
                    while let found = try state.next(sb, pb) {
                        let values = found.values
                        out.append(.int(values.count))
                        out += values.map { value($0, in: s) }
                        precondition(out.count < 1_000_000, "runaway gmatch")
                    }
                    return out
                }
            }
        }
    }

    static func gsub(_ s: [UInt8], _ p: [UInt8], template: [UInt8], n: Int?) -> LuaTestOutcome {
        outcome {
            try s.withUnsafeBufferPointer { sb in
                try p.withUnsafeBufferPointer { pb in
                    try template.withUnsafeBufferPointer { tb in
                        let result = try LuaPattern.gsub(sb, pb, template: tb, maxReplacements: n)
                        return [.bytes(result.bytes ?? s), .int(result.count)]
                    }
                }
            }
        }
    }

    /// Mirrors `H.gsubf`: joins the values, keeps the match when they contain "b" or are empty.
    static func gsubFunction(_ s: [UInt8], _ p: [UInt8], n: Int?) -> LuaTestOutcome {
        outcome {
            try s.withUnsafeBufferPointer { sb in
                try p.withUnsafeBufferPointer { pb in
                    let result = try LuaPattern.gsub(sb, pb, maxReplacements: n) { match in
                        let parts: [[UInt8]] = try match.values().map { capture in
                            switch capture {
                            case .range(let range): Array(s[range])
                            case .position(let position): Array("#\(position)".utf8)
                            }
                        }
                        let joined = Array(parts.joined(separator: [UInt8(ascii: ",")]))
                        if joined.contains(UInt8(ascii: "b")) || joined.isEmpty { return .keep }
                        return .bytes([UInt8(ascii: "<")] + joined + [UInt8(ascii: ">")])
                    }
                    return [.bytes(result.bytes ?? s), .int(result.count)]
                }
            }
        }
    }

    /// Mirrors `H.gsubt`'s table.
    static func gsubTable(_ s: [UInt8], _ p: [UInt8], n: Int?) -> LuaTestOutcome {
        let strings: [[UInt8]: String?] = [
            Array("a".utf8): "A", Array("ab".utf8): "AB", Array("(".utf8): "P", []: "E", Array("x".utf8): nil,
        ]
        let integers: [Int: String?] = [1: "one", 3: nil]
        return outcome {
            try s.withUnsafeBufferPointer { sb in
                try p.withUnsafeBufferPointer { pb in
                    let result = try LuaPattern.gsub(sb, pb, maxReplacements: n) { match, output in
                        let entry: String??
                        switch try match.capture(0) {
                        case .range(let range): entry = strings[Array(s[range])]
                        case .position(let position): entry = integers[position]
                        }
                        guard let entry, let text = entry else { return false }
                        output += Array(text.utf8)
                        return true
                    }
                    return [.bytes(result.bytes ?? s), .int(result.count)]
                }
            }
        }
    }
}
