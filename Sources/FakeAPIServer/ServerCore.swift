import Logging
import NIOCore
import NIOHTTP1

/// Everything a connection needs, shared by all of them.
final class ServerCore: Sendable {
    let store: PodRegistry
    let objects: ObjectStore
    let catalog = ResourceCatalog()
    let deletions = DeleteLog()
    let access: Locked<AccessPolicy?>
    let faults = FaultBook()
    let log = RequestLog()
    let channels = ChannelRegistry()
    let configuration: FakeAPIServer.Configuration
    let logger: Logger

    init(configuration: FakeAPIServer.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        store = PodRegistry(initialResourceVersion: configuration.initialResourceVersion,
                            historyLimit: configuration.historyLimit)
        objects = ObjectStore(versions: store)
        access = Locked(configuration.accessPolicy)
    }

    func authenticate(_ headers: HTTPHeaders) -> AuthOutcome {
        guard let expected = configuration.bearerToken?() else { return .notRequired }
        return headers["authorization"].contains("Bearer \(expected)") ? .accepted : .rejected
    }
}

/// Open connections, so shutdown can close them (hung watches included), with the bearer
/// token each last carried, so one client's can be cut.
final class ChannelRegistry: Sendable {
    private let channels = Locked<[ObjectIdentifier: any Channel]>([:])
    private let clients = Locked<[ObjectIdentifier: String]>([:])

    func add(_ channel: any Channel) {
        channels.withLock { $0[ObjectIdentifier(channel)] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.channels.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(channel)) }
            self?.clients.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(channel)) }
        }
    }

    func note(_ channel: any Channel, client token: String) {
        clients.withLock { $0[ObjectIdentifier(channel)] = token }
    }

    /// Closes the connections whose last request carried `token`.
    func close(client token: String) async {
        let ids = clients.withLock { $0.filter { $0.value == token }.map(\.key) }
        let open = channels.withLock { channels in ids.compactMap { channels[$0] } }
        for channel in open {
            try? await channel.close()
        }
    }

    func closeAll() async {
        let open = channels.withLock { Array($0.values) }
        for channel in open {
            try? await channel.close()
        }
    }
}
