/// One event of a watch stream, as the reflector acts on it.
public enum WatchEvent: Sendable, Equatable {
    case added(PodRecord)
    case modified(PodRecord)
    case deleted(PodRecord)
    /// Only advances the resource version.
    case bookmark(resourceVersion: String)
    /// The server ended the watch with a Status (410 Expired, 429, 500...).
    case error(APIStatus)
}

/// A Kubernetes `Status` object, as error responses and ERROR events carry it.
public struct APIStatus: Sendable, Equatable, Error, CustomStringConvertible {
    public var code: Int
    public var reason: String
    public var message: String
    /// `details.retryAfterSeconds`, or the `Retry-After` header of the response.
    public var retryAfterSeconds: Int?

    public init(code: Int, reason: String = "", message: String = "", retryAfterSeconds: Int? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String {
        "\(code) \(reason)\(message.isEmpty ? "" : ": \(message)")"
    }
}
