import Kube
import ServiceLifecycle

/// Prints informer updates, one line each. It runs beside the informer, fed through a buffer,
/// so a slow reader of standard output never holds up a watch. On shutdown (after the
/// informer's, services stop in reverse order) it prints what is buffered, then returns.
struct UpdatePrinter: Service {
    let updates: InformerUpdateBuffer

    func run() async {
        await withGracefulShutdownHandler {
            for await update in updates {
                switch update {
                case .events(let events): for event in events { writeLine(event.summary) }
                case .synced(let query): writeLine("SYNCED \(query)")
                }
            }
        } onGracefulShutdown: {
            updates.finish()
        }
    }
}
