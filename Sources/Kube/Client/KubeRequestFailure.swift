/// Why a request to the API server failed before it produced a usable response.
public enum KubeRequestFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with an error status (its Status body, or one made from the code).
    case status(APIStatus)
    /// No answer: connection refused or reset, timeout, TLS failure, credentials unavailable.
    case transport(String)
    /// An answer that is not what the API promises.
    case malformed(String)

    public var description: String {
        switch self {
        case .status(let status): "HTTP \(status)"
        case .transport(let reason): reason
        case .malformed(let reason): "malformed response: \(reason)"
        }
    }
}
