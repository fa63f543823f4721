import Foundation

/// What an exec plugin printed: a token and, usually, when it expires.
public struct ExecCredential: Sendable, Equatable, CustomStringConvertible {
    public var token: Redacted<String>
    /// Nil: valid until the server refuses it.
    public var expiration: Date?

    public init(token: String, expiration: Date?) {
        self.token = Redacted(token)
        self.expiration = expiration
    }

    /// kubectl's rule: usable up to, not including, the expiration instant.
    public func isExpired(at now: Date) -> Bool {
        expiration.map { now >= $0 } ?? false
    }

    public var description: String {
        "ExecCredential(token: <redacted>, expires: \(expiration.map { "\($0)" } ?? "never"))"
    }
}

/// Why a plugin's output was refused, in words that never quote the output (it may hold a token).
struct ExecOutputProblem: Error {
    var message: String
    var unsupported = false
}

extension ExecCredential {
    /// Parses an `ExecCredential` object of `apiVersion` (the one the kubeconfig asked for).
    static func parse(_ stdout: [UInt8], apiVersion: String) throws(ExecOutputProblem) -> ExecCredential {
        guard !stdout.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw ExecOutputProblem(message: "printed nothing on stdout")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(stdout)) as? [String: Any] else {
            throw ExecOutputProblem(message: "stdout is not a JSON object")
        }
        guard let version = object["apiVersion"] as? String else {
            throw ExecOutputProblem(message: "output has no apiVersion")
        }
        guard version == apiVersion else {
            throw ExecOutputProblem(message: "returned apiVersion \"\(version)\", but the kubeconfig asks for \"\(apiVersion)\"")
        }
        guard (object["kind"] as? String) == "ExecCredential" else {
            throw ExecOutputProblem(message: "output kind is not \"ExecCredential\"")
        }
        guard let status = object["status"] as? [String: Any] else {
            throw ExecOutputProblem(message: "output has no status object")
        }
        for field in ["clientCertificateData", "clientKeyData"] where !((status[field] as? String) ?? "").isEmpty {
            throw ExecOutputProblem(
                message: "returned status.\(field): client certificates from exec plugins are not supported by kubelua (only status.token)",
                unsupported: true)
        }
        guard let token = status["token"] as? String, !token.isEmpty else {
            throw ExecOutputProblem(message: "output has no status.token")
        }
        return ExecCredential(token: token, expiration: try expiration(status["expirationTimestamp"]))
    }

    private static func expiration(_ value: Any?) throws(ExecOutputProblem) -> Date? {
        guard let value, !(value is NSNull) else { return nil }
        guard let text = value as? String, let date = parseRFC3339(text) else {
            throw ExecOutputProblem(message: "status.expirationTimestamp is not an RFC 3339 time")
        }
        return date
    }

    /// RFC 3339 with or without fractional seconds; Kubernetes writes whole seconds, plugins vary.
    static func parseRFC3339(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
