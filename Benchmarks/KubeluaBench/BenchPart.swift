import ArgumentParser

/// The parts of a run, in the order they run; `--skip` leaves some out.
enum BenchPart: String, CaseIterable, ExpressibleByArgument {
    /// Peak RSS with the pods cached and several hooks; also the cold initial sync.
    case memory
    /// Events/s and CPU with one hook; `reference` needs its event lines.
    case throughput
    /// lua5.4 + lua-cjson on the same event lines.
    case reference
    case latency
    case reload
    case scaling
    /// The Python kubernetes client, when installed.
    case python
    /// Peak RSS while the server streams as fast as it can, with and without a backlog bound.
    case unpaced
    /// Two `kubelua run --leader-elect` child processes: takeover after SIGKILL and SIGTERM.
    case takeover
}
