import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A request that got no answer, described for the person running kubelua: what happened, and
/// what is likely wrong, instead of the networking library's own text (a refused connection
/// reads "connection reset (error set)" there, a TLS handshake with a plain-HTTP port is a
/// BoringSSL error dump).
enum KubeTransportError {
    /// - Parameter overTLS: whether the request was https (a plain one to a TLS port gets a
    ///   hint about the URL's scheme).
    static func describe(_ error: any Error, overTLS: Bool) -> String {
        let schemeHint = overTLS ? "" : " (does it expect TLS? is the URL https:// ?)"
        if let errno = connectErrno(error) {
            switch errno {
            case ECONNREFUSED: return "connection refused (is the API server running, and is this the right port?)"
            case ECONNRESET: return "connection reset by the server"
            case EHOSTUNREACH, ENETUNREACH: return "host unreachable (is the address right, and routed from here?)"
            case ETIMEDOUT: return "timed out connecting (is the address right, and reachable from here?)"
            default: return "cannot connect: \(String(cString: strerror(errno)).lowercased())"
            }
        }
        if let error = error as? NIOConnectionError, error.connectionErrors.isEmpty {
            return "cannot resolve the server's host name"
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "timed out connecting (is the address right, and reachable from here?)"
            case .readTimeout: return "no answer before the read timeout"
            case .remoteConnectionClosed: return "the server closed the connection before answering" + schemeHint
            default: break
            }
        }
        if error is HTTPParserError {
            return "the answer is not HTTP" + schemeHint
        }
        if error is NIOSSLError || error is BoringSSLError {
            let text = String(describing: error)
            if notTLSMarkers.contains(where: text.contains) {
                return "the server did not speak TLS — is the URL http:// ?"
            }
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return "TLS: the server's certificate is not trusted (check certificate-authority and tls-server-name in the kubeconfig)"
            }
            return "TLS handshake failed: \(text)"
        }
        return String(describing: error)
    }

    /// What BoringSSL says when the bytes it got are not a TLS record: a plain HTTP answer.
    private static let notTLSMarkers = ["WRONG_VERSION_NUMBER", "HTTP_REQUEST", "PACKET_LENGTH_TOO_LONG", "UNEXPECTED_RECORD"]

    /// The errno behind a failed connection attempt, however the client wrapped it.
    private static func connectErrno(_ error: any Error) -> Int32? {
        switch error {
        case let error as IOError: return error.errnoCode
        case let error as NIOConnectionError: return error.connectionErrors.lazy.compactMap { connectErrno($0.error) }.first
        default: return nil
        }
    }
}
