import Foundation

/// JSON Patch (RFC 6902): add, remove, replace, move, copy and test, with JSON Pointer paths
/// (RFC 6901: `~1` is `/`, `~0` is `~`, so a label key `app.kubernetes.io/name` is
/// `/metadata/labels/app.kubernetes.io~1name`). The operations apply in order, all or nothing.
enum JSONPatch {
    private enum Edit {
        case add(Any)
        case replace(Any)
        case remove
    }

    static func apply(_ operations: [Any], to object: [String: Any]) throws(StatusError) -> [String: Any] {
        var document: Any = object
        for operation in operations {
            guard let operation = operation as? [String: Any], let op = operation["op"] as? String,
                  let path = operation["path"] as? String else {
                throw .badRequest("invalid JSON patch operation: each needs \"op\" and \"path\"")
            }
            let pointer = try Self.pointer(path)
            switch op {
            case "add", "replace":
                guard let value = operation["value"] else { throw unprocessable("\(op) operation has no value at \(path)") }
                document = try edit(document, pointer[...], op == "add" ? .add(value) : .replace(value), op: op, path: path)
            case "remove":
                document = try edit(document, pointer[...], .remove, op: op, path: path)
            case "move", "copy":
                guard let from = operation["from"] as? String else { throw unprocessable("\(op) operation has no from") }
                let source = try Self.pointer(from)
                guard let value = Self.value(at: source, in: document) else {
                    throw unprocessable("\(op) operation does not apply: doc is missing from path: \(from)")
                }
                if op == "move" { document = try edit(document, source[...], .remove, op: op, path: from) }
                document = try edit(document, pointer[...], .add(value), op: op, path: path)
            case "test":
                let actual = Self.value(at: pointer, in: document)
                let expected = operation["value"] ?? NSNull()
                guard let actual, JSONCodec.encode(actual) == JSONCodec.encode(expected) else {
                    throw unprocessable("testing value \(path) failed: test failed")
                }
            default:
                throw unprocessable("Unexpected kind: \(op)")
            }
        }
        guard let result = document as? [String: Any] else { throw unprocessable("the patch replaces the object with a non-object") }
        return result
    }

    /// The reference tokens of a JSON Pointer; "" is the whole document.
    static func pointer(_ text: String) throws(StatusError) -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw unprocessable("JSON pointer must be empty or start with a \"/\": \(text)") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func value(at pointer: [String], in document: Any) -> Any? {
        var current: Any? = document
        for token in pointer {
            if let object = current as? [String: Any] {
                current = object[token]
            } else if let array = current as? [Any], let index = Int(token), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return current
    }

    private static func edit(_ document: Any, _ pointer: ArraySlice<String>, _ edit: Edit, op: String, path: String) throws(StatusError) -> Any {
        let missing = unprocessable("\(op) operation does not apply: doc is missing path: \"\(path)\": missing value")
        guard let token = pointer.first else {
            switch edit {
            case .add(let value), .replace(let value): return value
            case .remove: throw missing
            }
        }
        let rest = pointer.dropFirst()
        if var object = document as? [String: Any] {
            if rest.isEmpty {
                switch edit {
                case .add(let value): object[token] = value
                case .replace(let value):
                    guard object[token] != nil else { throw missing }
                    object[token] = value
                case .remove:
                    guard object[token] != nil else { throw missing }
                    object[token] = nil
                }
                return object
            }
            guard let child = object[token] else { throw missing }
            object[token] = try self.edit(child, rest, edit, op: op, path: path)
            return object
        }
        guard var array = document as? [Any] else { throw missing }
        if rest.isEmpty, case .add(let value) = edit {
            let index = token == "-" ? array.count : Int(token) ?? -1
            guard (0...array.count).contains(index) else { throw missing }
            array.insert(value, at: index)
            return array
        }
        guard let index = Int(token), array.indices.contains(index) else { throw missing }
        if rest.isEmpty {
            if case .replace(let value) = edit { array[index] = value } else { array.remove(at: index) }
        } else {
            array[index] = try self.edit(array[index], rest, edit, op: op, path: path)
        }
        return array
    }

    private static func unprocessable(_ message: String) -> StatusError {
        StatusError(code: 422, reason: "Invalid", message: message)
    }
}
