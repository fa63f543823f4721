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

/// Open connections, so shutdown can close them (hung watches included).
final class ChannelRegistry: Sendable {
    private let channels = Locked<[ObjectIdentifier: any Channel]>([:])

    func add(_ channel: any Channel) {
        channels.withLock { $0[ObjectIdentifier(channel)] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.channels.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(channel)) }
        }
    }

    func closeAll() async {
        let open = channels.withLock { Array($0.values) }
        for channel in open {
            try? await channel.close()
        }
    }
}
