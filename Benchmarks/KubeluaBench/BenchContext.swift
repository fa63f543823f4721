import Logging

/// What every part of a run uses: the server child, the run's temporary folder, a quiet logger.
struct BenchContext {
    let server: ServerProcess
    let scratch: BenchScratch
    let logger: Logger
}
