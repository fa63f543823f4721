import Foundation

/// A Kubernetes `Status` object (`kind: Status`, `status: Failure`) as an error, as the API
/// machinery's StatusError carries it: the body of every error response and the object of
/// `ERROR` watch events. It is also the error the Swift scenario API throws, so tests see the
/// same code and reason over HTTP and in-process.
public struct StatusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP status code, e.g. 404, 409, 410.
    public var code: Int
    /// The machine-readable reason, e.g. `NotFound`, `Conflict`, `Expired`.
    public var reason: String
    public var message: String
    public var details: Details?

    public struct Details: Sendable, Equatable {
        public var name: String?
        /// The API group of `kind` (omitted for the core group, as the real server does).
        public var group: String?
        public var kind: String?
        public var retryAfterSeconds: Int?
        public var causes: [Cause]

        public init(name: String? = nil, group: String? = nil, kind: String? = nil, retryAfterSeconds: Int? = nil, causes: [Cause] = []) {
            self.name = name
            self.group = group
            self.kind = kind
            self.retryAfterSeconds = retryAfterSeconds
            self.causes = causes
        }
    }

    public struct Cause: Sendable, Equatable {
        public var reason: String
        public var message: String
        public var field: String?

        public init(reason: String, message: String, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    public init(code: Int, reason: String, message: String, details: Details? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    public var description: String { "\(code) \(reason): \(message)" }

    /// The Status as a JSON object, in the shape the API server writes it.
    public var jsonObject: [String: Any] {
        var object: [String: Any] = [
            "kind": "Status", "apiVersion": "v1", "metadata": [String: Any](),
            "status": "Failure", "message": message, "reason": reason, "code": code,
        ]
        if let details {
            var d: [String: Any] = [:]
            if let name = details.name { d["name"] = name }
            if let group = details.group, !group.isEmpty { d["group"] = group }
            if let kind = details.kind { d["kind"] = kind }
            if let seconds = details.retryAfterSeconds { d["retryAfterSeconds"] = seconds }
            if !details.causes.isEmpty {
                d["causes"] = details.causes.map { cause -> [String: Any] in
                    var c: [String: Any] = ["reason": cause.reason, "message": cause.message]
                    if let field = cause.field { c["field"] = field }
                    return c
                }
            }
            object["details"] = d
        }
        return object
    }

    /// Compact JSON bytes of `jsonObject`.
    public var jsonBytes: [UInt8] { JSONCodec.encode(jsonObject) }
}
