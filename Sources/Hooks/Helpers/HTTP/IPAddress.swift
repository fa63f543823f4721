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

    /// The IPv4 address an IPv6 address carries when it only wraps one, and so reaches the
    /// IPv4 host: IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`, deprecated but
    /// still routed by some stacks to the IPv4 host), IPv4-translated (`::ffff:0:a.b.c.d`) and
    /// well-known-prefix NAT64 (`64:ff9b::a.b.c.d`). `::` and `::1` are IPv6's own.
    public var embeddedIPv4: IPAddress? {
        guard case .v6(let bytes) = self else { return nil }
        let prefix = Array(bytes[0..<12])
        let zeros = [UInt8](repeating: 0, count: 10)
        let mapped = prefix == zeros + [0xff, 0xff]
        let translated = prefix == [UInt8](repeating: 0, count: 8) + [0xff, 0xff, 0, 0]
        let compatible = prefix == zeros + [0, 0] && bytes[12..<15].contains { $0 != 0 }
        let nat64 = prefix == [0x00, 0x64, 0xff, 0x9b] + [UInt8](repeating: 0, count: 8)
        guard mapped || translated || compatible || nat64 else { return nil }
        return .v4(bytes[12..<16].reduce(0) { $0 << 8 | UInt32($1) })
    }

    /// Why the http helper refuses this address unless an allow entry names it, or nil.
    public var refusedRange: RefusedRange? {
        if case .v6(let bytes) = self, bytes[0..<6].elementsEqual([0x00, 0x64, 0xff, 0x9b, 0x00, 0x01]) {
            // RFC 8215's local-use NAT64 prefix: where the IPv4 address sits depends on the
            // operator's prefix length, so the whole /48 is refused.
            return .localNAT64
        }
        let address = embeddedIPv4 ?? self
        if Self.cloudMetadata.contains(address) { return .cloudMetadata }
        switch address {
        case .v4(let value):
            // 0.0.0.0/8 counts as loopback: Linux connects "this host" addresses to it.
            if value >> 24 == 127 || value >> 24 == 0 { return .loopback }
            if value >> 16 == 0xA9FE { return .linkLocal }
        case .v6(let bytes):
            if bytes[0..<15].allSatisfy({ $0 == 0 }), bytes[15] <= 1 { return .loopback }
            if bytes[0] == 0xfe, bytes[1] & 0xc0 == 0x80 { return .linkLocal }
        }
        return nil
    }

    /// The kinds of address hooks cannot reach by default.
    public enum RefusedRange: String, Sendable {
        /// 127.0.0.0/8, 0.0.0.0/8, `::1`, `::`: this machine, where kubelua's own ports are.
        case loopback = "a loopback address"
        /// 169.254.0.0/16, fe80::/10: never routed, home of metadata services.
        case linkLocal = "a link-local address"
        /// A cloud provider's instance metadata endpoint: these hand out the node's credentials.
        case cloudMetadata = "a cloud metadata address"
        /// 64:ff9b:1::/48, which may translate to any IPv4 address, private ones included.
        case localNAT64 = "a local-use NAT64 address"
    }

    /// AWS, GCP and Azure (169.254.169.254), AWS over IPv6 (fd00:ec2::254), GCP over IPv6
    /// (fd20:ce::254), Azure's WireServer (168.63.129.16), Alibaba Cloud (100.100.100.200).
    static let cloudMetadata: Set<IPAddress> = Set(
        ["169.254.169.254", "fd00:ec2::254", "fd20:ce::254", "168.63.129.16", "100.100.100.200"].map { IPAddress($0)! })

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
