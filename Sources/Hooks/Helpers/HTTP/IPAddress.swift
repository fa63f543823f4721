import Foundation

/// An IPv4 or IPv6 address: what a host name resolved to, or an address written in a URL or an
/// allow-list entry. The http helper checks these before it connects.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Four bytes, in network order.
    case v4(UInt32)
    /// Sixteen bytes, in network order.
    case v6([UInt8])

    /// Parses the standard text forms only (`inet_pton`): `10.0.0.1`, `::1`, `[::1]`. Other
    /// spellings (`2852039166`, `0x7f.1`) are host names here and go through the resolver, which
    /// turns them into the address they denote, and that address is what gets checked.
    public init?(_ text: String) {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        var v4 = in_addr()
        if inet_pton(AF_INET, String(text), &v4) == 1 {
            self = .v4(UInt32(bigEndian: v4.s_addr))
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, String(text), &v6) == 1 else { return nil }
        self = .v6(withUnsafeBytes(of: v6) { Array($0) })
    }

    /// The IPv4 address an IPv6 address carries when it only wraps one: IPv4-mapped
    /// (`::ffff:169.254.169.254`) and NAT64 (`64:ff9b::/96`) addresses reach the IPv4 host.
    public var embeddedIPv4: IPAddress? {
        guard case .v6(let bytes) = self else { return nil }
        let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
        let nat64 = bytes[0..<12].elementsEqual([0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0])
        guard mapped || nat64 else { return nil }
        return .v4(bytes[12..<16].reduce(0) { $0 << 8 | UInt32($1) })
    }

    /// 169.254.0.0/16 or fe80::/10: never routed, and home of the cloud metadata services.
    public var isLinkLocal: Bool {
        switch embeddedIPv4 ?? self {
        case .v4(let value): value >> 16 == 0xA9FE
        case .v6(let bytes): bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80
        }
    }

    /// A cloud provider's instance metadata endpoint: these hand out the node's credentials.
    public var isCloudMetadata: Bool {
        let address = embeddedIPv4 ?? self
        return Self.cloudMetadata.contains(address)
    }

    /// Link-local or cloud metadata: refused unless an allow-list entry names the address.
    public var isRefusedByDefault: Bool { isLinkLocal || isCloudMetadata }

    /// AWS, GCP and Azure (169.254.169.254), AWS over IPv6 (fd00:ec2::254), Alibaba Cloud
    /// (100.100.100.200).
    static let cloudMetadata: Set<IPAddress> = [IPAddress("169.254.169.254")!, IPAddress("fd00:ec2::254")!, IPAddress("100.100.100.200")!]

    /// The canonical text form (`inet_ntop`), without brackets.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch self {
        case .v4(let value):
            var address = in_addr(s_addr: value.bigEndian)
            inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
        case .v6(let bytes):
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
            inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The form a URL uses: IPv6 in brackets.
    var urlHost: String {
        switch self {
        case .v4: description
        case .v6: "[\(description)]"
        }
    }
}
