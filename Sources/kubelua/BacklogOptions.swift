import ArgumentParser
import Kube

/// How far consumers (hooks, the terminal) may fall behind the watches.
struct BacklogOptions: ParsableArguments {
    @Option(help: """
        Events delivered and not yet finished (for run: each hook's events queued, running, waiting \
        for a retry or a debounce window; an event counts once per hook that takes it) before kubelua \
        stops reading the watches until it catches up; the API server is then held back, nothing is dropped.
        """)
    var maxBacklog = 10_000

    func validate() throws {
        if maxBacklog < 1 { throw ValidationError("--max-backlog must be at least 1 (got \(maxBacklog))") }
    }

    func ledger() -> BacklogLedger {
        BacklogLedger(bound: maxBacklog)
    }
}
