import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// Turning client and network errors into the short `err` strings scripts see.
extension HTTPHelper {
    /// True when no connection was made, so the request was not sent and the next resolved
    /// address may be tried.
    static func isConnectFailure(_ error: any Error) -> Bool {
        switch error {
        case is NIOConnectionError: return true
        case let error as IOError: return connectErrnos.contains(error.errnoCode)
        case let error as HTTPClientError: return error == .connectTimeout
        case ChannelError.connectTimeout: return true
        default: return false
        }
    }

    private static let connectErrnos: Set<Int32> = [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL, ETIMEDOUT]

    static func describe(_ error: any Error, request: HTTPHelperRequest, target: HTTPTarget, timeout: Double) -> String {
        let endpoint = target.endpoint
        switch error {
        case is TimedOut, is CancellationError:
            return "\(request.method) \(endpoint) timed out after \(seconds(timeout))"
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            return "\(request.method) \(endpoint) timed out after \(seconds(timeout))"
        case let error as HTTPClientError where error == .connectTimeout:
            return "cannot connect to \(endpoint): timed out"
        case let error as HTTPClientError where error == .remoteConnectionClosed:
            return "\(endpoint) closed the connection before responding"
        case let error as NIOConnectionError:
            let cause = error.connectionErrors.first.map { reason($0.error) } ?? error.dnsAError.map { reason($0) } ?? "\(error)"
            return "cannot connect to \(endpoint): \(cause)"
        case let error as IOError where connectErrnos.contains(error.errnoCode):
            return "cannot connect to \(endpoint): \(String(cString: strerror(error.errnoCode)).lowercased())"
        case ChannelError.connectTimeout:
            return "cannot connect to \(endpoint): timed out"
        default:
            return "\(request.method) \(endpoint) failed: \(reason(error))"
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        return "\(error)"
    }
}
