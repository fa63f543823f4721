/// The Status objects the real API server produces for the situations the fake reproduces,
/// with the same codes, reasons and message shapes, so clients can be tested against them.
extension StatusError {
    public static func notFound(_ name: String) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "pods \"\(name)\" not found",
                  details: Details(name: name, kind: "pods"))
    }

    public static func alreadyExists(_ name: String) -> StatusError {
        StatusError(code: 409, reason: "AlreadyExists", message: "pods \"\(name)\" already exists",
                  details: Details(name: name, kind: "pods"))
    }

    public static func conflict(_ name: String) -> StatusError {
        StatusError(code: 409, reason: "Conflict",
                  message: "Operation cannot be fulfilled on pods \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                  details: Details(name: name, kind: "pods"))
    }

    public static func badRequest(_ message: String) -> StatusError {
        StatusError(code: 400, reason: "BadRequest", message: message)
    }

    public static func invalid(_ message: String) -> StatusError {
        StatusError(code: 422, reason: "Invalid", message: message)
    }

    /// What a watch from a compacted resource version gets (as an ERROR event, after HTTP 200).
    public static func tooOldResourceVersion(requested: String, oldest: String) -> StatusError {
        StatusError(code: 410, reason: "Expired", message: "too old resource version: \(requested) (\(oldest))")
    }

    /// A plain 410; `reason: "Gone"` is what older servers sent.
    public static func gone(reason: String = "Expired", message: String = "resource version is too old") -> StatusError {
        StatusError(code: 410, reason: reason, message: message)
    }

    /// A list `continue` token whose snapshot has been compacted away.
    public static let continueExpired = StatusError(
        code: 410, reason: "Expired",
        message: "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue value from the response body."
    )

    /// 429, with `details.retryAfterSeconds`; the server adds the `Retry-After` header to match.
    public static func tooManyRequests(retryAfterSeconds: Int) -> StatusError {
        StatusError(code: 429, reason: "TooManyRequests", message: "Too many requests, please try again later.",
                  details: Details(retryAfterSeconds: retryAfterSeconds))
    }

    public static let internalError = StatusError(code: 500, reason: "InternalError", message: "Internal error occurred: injected fault")

    public static let serviceUnavailable = StatusError(code: 503, reason: "ServiceUnavailable", message: "the server is currently unable to handle the request")

    /// 504 for a resourceVersion newer than the server has seen.
    public static func tooLargeResourceVersion(requested: String, current: String) -> StatusError {
        StatusError(code: 504, reason: "Timeout",
                  message: "Timeout: Too large resource version: \(requested), current: \(current)",
                  details: Details(retryAfterSeconds: 1,
                                   causes: [Cause(reason: "ResourceVersionTooLarge", message: "Too large resource version")]))
    }

    public static let unauthorized = StatusError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    public static func methodNotAllowed(_ method: String) -> StatusError {
        StatusError(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource (\(method))")
    }

    public static func unsupportedMediaType(_ type: String) -> StatusError {
        StatusError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got \(type))")
    }

    /// 404 for a path the fake does not serve.
    public static func pathNotFound(_ path: String) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "the server could not find the requested resource (\(path))")
    }
}
