import Foundation

/// The Kubernetes schema `kubelua stubs` generates Lua types from: the Pod and every definition
/// reachable from it, for one Kubernetes version (`KubernetesSchema+Data.swift`, written by
/// `make kubernetes-schema` from the JSON Schema form of the OpenAPI definitions that the PyPI
/// package kubernetes-validate ships).
public struct KubernetesSchema: Sendable {
    /// One schema node: a definition, a property, an array's items or a map's values.
    public indirect enum Node: Sendable, Equatable {
        case reference(String)
        case boolean, integer, number, string
        /// A string of one of these values.
        case enumeration([String])
        case array(Node)
        case map(Node)
        /// Properties by name, the required names.
        case object([String: Property], required: Set<String>)
        /// `oneOf` string and integer (IntOrString).
        case integerOrString
        /// Anything (an object without properties, a free-form field).
        case any
    }

    public struct Property: Sendable, Equatable {
        public var node: Node
        public var description: String
    }

    public struct Definition: Sendable, Equatable {
        public var node: Node
        public var description: String
    }

    public let version: String
    /// By full name, such as `io.k8s.api.core.v1.PodSpec`.
    public let definitions: [String: Definition]

    /// The Pod's schema, as committed.
    public static let pod = try! KubernetesSchema(json: Array(podJSON.utf8))

    public init(json: [UInt8]) throws {
        guard let root = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
            let version = root["version"] as? String, let definitions = root["definitions"] as? [String: [String: Any]]
        else { throw KubernetesSchemaError("not a schema: expected {\"version\": ..., \"definitions\": {...}}") }
        self.version = version
        self.definitions = definitions.mapValues { Definition(node: Self.node($0), description: $0["description"] as? String ?? "") }
    }

    static func node(_ schema: [String: Any]) -> Node {
        if let reference = schema["$ref"] as? String { return .reference(String(reference.split(separator: "/").last ?? "")) }
        if let choices = schema["oneOf"] as? [[String: Any]] {
            let types = Set(choices.flatMap(types(of:)))
            return types == ["string", "integer"] ? .integerOrString : types == ["string", "number"] ? .string : .any
        }
        let types = Self.types(of: schema)
        if types.contains("array") { return .array((schema["items"] as? [String: Any]).map(node) ?? .any) }
        if types.contains("object") || schema["properties"] != nil {
            if let properties = schema["properties"] as? [String: [String: Any]] {
                return .object(
                    properties.mapValues { Property(node: node($0), description: $0["description"] as? String ?? "") },
                    required: Set(schema["required"] as? [String] ?? []))
            }
            return (schema["additionalProperties"] as? [String: Any]).map { .map(node($0)) } ?? .any
        }
        if types.contains("string") {
            if let values = schema["enum"] as? [String] { return .enumeration(values) }
            return .string
        }
        if types.contains("integer") { return .integer }
        if types.contains("number") { return .number }
        if types.contains("boolean") { return .boolean }
        return .any
    }

    /// `type` as a list without `null`: the schemas write `"string"` or `["string", "null"]`.
    private static func types(of schema: [String: Any]) -> [String] {
        ((schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []).filter { $0 != "null" }
    }
}

public struct KubernetesSchemaError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
