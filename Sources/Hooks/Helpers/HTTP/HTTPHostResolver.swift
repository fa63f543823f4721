import Foundation
import Synchronization

/// Turns a host name into the addresses the http helper checks and then connects to.
/// Replaceable so tests can point names at loopback without touching DNS.
public struct HTTPHostResolver: Sendable {
    public let resolve: @Sendable (_ host: String) async throws -> [IPAddress]

    public init(_ resolve: @escaping @Sendable (_ host: String) async throws -> [IPAddress]) {
        self.resolve = resolve
    }

    /// The system resolver (`getaddrinfo`, so /etc/hosts and the cluster's DNS apply).
    /// `getaddrinfo` blocks and cannot be interrupted: it runs on a Dispatch worker, and a
    /// cancelled lookup stops being awaited at once (its late answer is dropped).
    public static let system = HTTPHostResolver { host in
        let lookup = PendingLookup()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                lookup.start(continuation)
                DispatchQueue.global().async { lookup.finish(Result { try addresses(of: host) }) }
            }
        } onCancel: {
            lookup.finish(.failure(CancellationError()))
        }
    }

    struct LookupError: Error, CustomStringConvertible {
        let description: String
    }

    private static func addresses(of host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else { throw LookupError(description: "cannot resolve \(host): \(String(cString: gai_strerror(status)))") }
        defer { freeaddrinfo(list) }
        var found: [IPAddress] = []
        var entry = list
        while let info = entry?.pointee {
            entry = info.ai_next
            guard let socketAddress = info.ai_addr else { continue }
            let address: IPAddress
            switch info.ai_family {
            case AF_INET:
                let v4 = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                address = .v4(UInt32(bigEndian: v4.s_addr))
            case AF_INET6:
                let v6 = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                address = .v6(withUnsafeBytes(of: v6) { Array($0) })
            default:
                continue
            }
            if !found.contains(address) { found.append(address) }
        }
        return found
    }
}

/// A lookup's continuation, resumed once: by the answer or by cancellation, whichever is first.
private final class PendingLookup: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<[IPAddress], any Error>?, early: Result<[IPAddress], any Error>?)>((nil, nil))

    func start(_ continuation: CheckedContinuation<[IPAddress], any Error>) {
        let early = state.withLock { state in
            if state.early == nil { state.continuation = continuation }
            return state.early
        }
        if let early { continuation.resume(with: early) }
    }

    func finish(_ result: Result<[IPAddress], any Error>) {
        let continuation = state.withLock { state in
            defer { state.continuation = nil }
            if state.continuation == nil, state.early == nil { state.early = result }
            return state.continuation
        }
        continuation?.resume(with: result)
    }
}
