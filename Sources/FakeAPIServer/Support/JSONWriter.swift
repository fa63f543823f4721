import Foundation

/// Compact JSON encoding of decoded trees (`[String: Any]`, `[Any]`, String, numbers, Bool,
/// NSNull), with keys sorted. Written by hand because Foundation's `JSONSerialization` takes
/// milliseconds per pod on Linux, and every change to a pod is encoded once.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    static func encode(_ value: Any) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value)
        return writer.bytes
    }

    mutating func write(_ value: Any) {
        switch value {
        case let string as String:
            write(string: string)
        case let object as [String: Any]:
            bytes.append(UInt8(ascii: "{"))
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(string: key)
                bytes.append(UInt8(ascii: ":"))
                write(object[key]!)
            }
            bytes.append(UInt8(ascii: "}"))
        case let array as [Any]:
            bytes.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        default:
            writeScalar(value)
        }
    }

    /// Numbers, booleans and null. Swift's own types are matched exactly first, because an
    /// `NSNumber` also casts to Bool, Int and Double.
    private mutating func writeScalar(_ value: Any) {
        let type = Swift.type(of: value)
        if type == Bool.self {
            bytes += (value as! Bool) ? Array("true".utf8) : Array("false".utf8)
        } else if type == Int.self {
            bytes += String(value as! Int).utf8
        } else if type == Double.self {
            write(double: value as! Double)
        } else if let number = value as? NSNumber, type != NSNull.self {
            switch UInt8(bitPattern: number.objCType.pointee) {
            case UInt8(ascii: "c"): bytes += number.boolValue ? Array("true".utf8) : Array("false".utf8)
            case UInt8(ascii: "d"), UInt8(ascii: "f"): write(double: number.doubleValue)
            case UInt8(ascii: "Q"): bytes += String(number.uint64Value).utf8
            default: bytes += String(number.int64Value).utf8
            }
        } else if let integer = value as? any BinaryInteger {
            bytes += String(describing: integer).utf8
        } else {
            // NSNull, nil, and anything that is not JSON.
            bytes += "null".utf8
        }
    }

    private mutating func write(double: Double) {
        guard double.isFinite else {
            bytes += "null".utf8
            return
        }
        if double == double.rounded(), abs(double) < 1e15 {
            bytes += String(Int64(double)).utf8
        } else {
            bytes += double.description.utf8
        }
    }

    private mutating func write(string: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
