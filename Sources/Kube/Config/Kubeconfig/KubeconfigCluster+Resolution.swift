import Foundation
import Logging

extension KubeconfigEntry where Value == KubeconfigCluster {
    /// The server URL, checked: `http` or `https` with a host. kubectl guesses a scheme when
    /// there is none; kubelua refuses, so a typo cannot silently mean plain HTTP.
    func serverURL() throws -> URL {
        guard let text = value.server else { throw error(.missingField, "server: missing") }
        let url = URL(string: text)
        if text.contains("@") || url?.user != nil || url?.password != nil {
            // Not echoed: user info in a URL is a credential.
            throw error(.invalidField, "server: must not contain a user name or password")
        }
        guard let url, let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = url.host, !host.isEmpty
        else {
            throw error(.invalidField, "server: \"\(text)\" is not an http:// or https:// URL with a host")
        }
        guard url.query == nil, url.fragment == nil else {
            throw error(.invalidField, "server: \"\(text)\" must not have a query or fragment")
        }
        return url
    }

    /// How to trust the server. Client certificates come from the user and are added later.
    func tlsConfiguration(reader: ConfigFileReader, logger: Logger) throws -> KubeTLSConfiguration {
        if value.proxyURL != nil {
            throw error(.unsupported, "proxy-url: kubelua does not support proxies; remove proxy-url to connect directly")
        }
        let roots = try trustRoots(reader: reader, logger: logger)
        if value.insecureSkipTLSVerify, roots != nil {
            // kubectl refuses this too: trusting a CA and trusting anything contradict each other.
            throw error(.invalidField, "insecure-skip-tls-verify: cannot be combined with certificate-authority or certificate-authority-data")
        }
        return KubeTLSConfiguration(trustRoots: roots, insecureSkipVerify: value.insecureSkipTLSVerify,
                                    serverName: value.tlsServerName)
    }

    /// The inline bundle wins over the file when both are set, as in kubectl.
    private func trustRoots(reader: ConfigFileReader, logger: Logger) throws -> [UInt8]? {
        if let data = value.certificateAuthorityData {
            if value.certificateAuthority != nil {
                logger.warning("certificate-authority-data and certificate-authority both set; using certificate-authority-data",
                               metadata: ["kubeconfig": "\(file)", "cluster": "\(name)"])
            }
            guard let bytes = PEM.decodeBase64(data) else {
                throw error(.invalidField, "certificate-authority-data: invalid base64")
            }
            guard PEM.hasCertificate(bytes) else {
                throw error(.invalidField, "certificate-authority-data: not a PEM certificate bundle (no BEGIN CERTIFICATE line)")
            }
            return bytes
        }
        guard let path = value.certificateAuthority else { return nil }
        let bytes = try reader.read(path, field: "certificate-authority")
        guard PEM.hasCertificate(bytes) else {
            throw error(.invalidField, "certificate-authority \(path): not a PEM certificate bundle (no BEGIN CERTIFICATE line)")
        }
        return bytes
    }
}
