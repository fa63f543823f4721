import Kube
import NIOCore
import Synchronization

/// The leader's side of checkpoints: for each watch, the resource version up to which every
/// event handed to the hooks has been handled or given up by every hook that took it. Each
/// delivery is a ticket holding the ledger batch each hook reserved for it; a ticket is done
/// once every such batch, and every batch before it, is released (an account releases in
/// batches from its oldest on, so this is a prefix and never runs ahead of what was handled).
/// What `checkpoint` returns starts from the predecessor's, so it never goes back.
final class CheckpointTracker: Sendable {
    struct Hold: Sendable {
        let account: BacklogLedger.Account
        let batch: Int
    }

    private struct Ticket {
        let through: [String: UInt64]
        let holds: [Hold]
        let since: UInt64

        var isDone: Bool { holds.allSatisfy { $0.account.hasReleased(through: $0.batch) } }
    }

    private struct State {
        var tickets = CircularBuffer<Ticket>()
        var handled = LeaseCheckpoint(handledThrough: [:])
        /// Per watch, deliveries made while a version of its scope waited for its world (the
        /// first list's events): the world handed at the sync stands for them, and they count
        /// once it, and what other versions took of them, is handled.
        var awaitingWorld: [String: (version: UInt64, holds: [Hold])] = [:]
        /// Per watch, the last version handed to the hooks, handled or not.
        var handedThrough: [String: UInt64] = [:]
    }

    private let state = Mutex(State())

    /// Starts over from a predecessor's checkpoint (nil: none).
    func reset(from checkpoint: LeaseCheckpoint?) {
        state.withLock { $0 = State(handled: checkpoint ?? LeaseCheckpoint(handledThrough: [:])) }
    }

    /// Hooks took (`holds`) a delivery that brings each watch named in `through` to that version.
    func handedOver(through: [String: UInt64], holds: [Hold], at now: UInt64) {
        guard !through.isEmpty else { return }
        state.withLock { state in
            state.tickets.append(Ticket(through: through, holds: holds, since: now))
            state.handedThrough.merge(through, uniquingKeysWith: max)
        }
    }

    /// Per watch, the last version handed to the hooks in this term: a standby again from the
    /// fence on, its history covers every event after it (`EventHistory.resume`).
    var handedThrough: [String: UInt64] { state.withLock { $0.handedThrough } }

    /// A delivery of `watch` made while a version of its scope waits for its world.
    func handedOverBeforeWorld(watch: String, through version: UInt64, holds: [Hold]) {
        state.withLock { state in
            let waiting = state.awaitingWorld[watch]
            state.awaitingWorld[watch] = (max(waiting?.version ?? 0, version), (waiting?.holds ?? []) + holds)
            state.handedThrough[watch] = max(state.handedThrough[watch] ?? 0, version)
        }
    }

    /// The worlds of `watch`'s waiting versions were handed over (`holds`): the deliveries made
    /// meanwhile are done once these and what was taken of them are.
    func worldsHandedOver(watch: String, holds: [Hold], at now: UInt64) {
        guard let waiting = state.withLock({ $0.awaitingWorld.removeValue(forKey: watch) }) else { return }
        handedOver(through: [watch: waiting.version], holds: waiting.holds + holds, at: now)
    }

    /// The checkpoint as of now: each watch advanced over its deliveries that are done, up to
    /// its first that is not.
    func checkpoint() -> LeaseCheckpoint {
        state.withLock { state in
            while let first = state.tickets.first, first.isDone {
                state.handled = state.handled.merged(with: LeaseCheckpoint(handledThrough: first.through))
                state.tickets.removeFirst()
            }
            // Past the first delivery not done, a watch it does not name still advances.
            var blocked: Set<String> = []
            for ticket in state.tickets {
                if ticket.through.keys.allSatisfy({ !blocked.contains($0) }) && ticket.isDone {
                    state.handled = state.handled.merged(with: LeaseCheckpoint(handledThrough: ticket.through))
                } else {
                    blocked.formUnion(ticket.through.keys)
                }
            }
            return state.handled
        }
    }

    /// When the oldest delivery not yet done was handed over; nil when all are.
    var oldestUnfinished: UInt64? {
        state.withLock { state in state.tickets.first { !$0.isDone }?.since }
    }
}
