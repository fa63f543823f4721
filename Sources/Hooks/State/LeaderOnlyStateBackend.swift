import Kube

/// A hook's state on an elected replica: read as the backend reads it; written only while this
/// replica leads, so one that stopped leading never writes over what the new leader loaded.
/// A write under way when leading stops still lands (docs/leader-election.md, the window).
struct LeaderOnlyStateBackend: HookStateBackend {
    let backend: any HookStateBackend
    let leadership: Leadership

    var persists: Bool { backend.persists }

    func read(_ part: HookStatePart) async throws -> [UInt8]? {
        try await backend.read(part)
    }

    func write(_ part: HookStatePart, _ document: [UInt8]) async throws {
        guard leadership.isLeading else {
            throw HookStateError("this replica no longer leads (lease \(leadership.lease)): the state is the leader's to write")
        }
        try await backend.write(part, document)
    }
}
