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
    }

    private let state = Mutex(State())

    /// Starts over from a predecessor's checkpoint (nil: none).
    func reset(from checkpoint: LeaseCheckpoint?) {
        state.withLock { $0 = State(handled: checkpoint ?? LeaseCheckpoint(handledThrough: [:])) }
    }

    /// Hooks took (`holds`) a delivery that brings each watch named in `through` to that version.
    func handedOver(through: [String: UInt64], holds: [Hold], at now: UInt64) {
        guard !through.isEmpty else { return }
        state.withLock { $0.tickets.append(Ticket(through: through, holds: holds, since: now)) }
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
