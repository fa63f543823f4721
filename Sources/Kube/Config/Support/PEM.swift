import Foundation

/// The light checks kubelua makes on certificate and key material before handing it to TLS, so
/// a wrong file is reported against its kubeconfig field rather than as a handshake failure.
enum PEM {
    /// kubeconfig `-data` fields are standard base64. Go's decoder skips line breaks, which
    /// hand-edited kubeconfigs contain; Foundation's would refuse them.
    static func decodeBase64(_ text: String) -> [UInt8]? {
        let compact = text.filter { $0 != "\n" && $0 != "\r" }
        return Data(base64Encoded: compact).map { [UInt8]($0) }
    }

    static func hasCertificate(_ bytes: [UInt8]) -> Bool {
        contains(bytes, "-----BEGIN CERTIFICATE-----")
    }

    /// PKCS#1 (`RSA PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`) and PKCS#8 (`PRIVATE KEY`) all match.
    static func hasPrivateKey(_ bytes: [UInt8]) -> Bool {
        contains(bytes, "-----BEGIN ") && contains(bytes, "PRIVATE KEY-----")
    }

    private static func contains(_ bytes: [UInt8], _ marker: String) -> Bool {
        let needle = Array(marker.utf8)
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { start in
            bytes[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
