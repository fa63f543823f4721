import Kube
import ServiceLifecycle

/// Prints informer updates, one line each. It runs beside the informer, fed through a buffer,
/// so a slow reader of standard output holds up a watch only once it is the backlog ledger's bound
/// behind. On shutdown (after the informer's, services stop in reverse order) it prints what is
/// buffered, then returns.
struct UpdatePrinter: Service {
    let updates: InformerUpdateBuffer
    /// The printer's part of the ledger: each event is reserved as delivered, released once printed.
    let printing: BacklogLedger.Account

    func run() async {
        await withGracefulShutdownHandler {
            for await update in updates {
                switch update {
                case .events(let events):
                    for event in events { writeLine(event.summary) }
                    printing.releaseOldest(events.count)
                case .synced(let query): writeLine("SYNCED \(query)")
                }
            }
        } onGracefulShutdown: {
            updates.finish()
        }
    }
}
