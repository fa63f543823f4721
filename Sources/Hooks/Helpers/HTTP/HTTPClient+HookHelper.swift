import AsyncHTTPClient
import NIOCore

extension HTTPClient.Configuration {
    /// The configuration the `http` helper's client must have. Redirects are not followed:
    /// the helper checks only the host it was given, so a redirect could lead anywhere.
    /// Failed connections are not retried, so the helper can try the host's next address at
    /// once. Bodies are not decompressed, so the size cap counts the bytes received.
    public static var hookHelper: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        return configuration
    }
}
