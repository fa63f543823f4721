import Foundation
import NIOCore
import Synchronization

/// A hook version's serial executor: its jobs run one at a time and in order, on whichever
/// thread of its `LuaThreadPool` is free. Lua handlers may run for up to their deadline and
/// must not hold one of the few threads of Swift's cooperative pool while they do.
public final class LuaThreadExecutor: SerialExecutor, @unchecked Sendable {
    /// The hook it runs, for reports.
    public let name: String
    private let pool: LuaThreadPool
    /// Guarded by the pool's lock: jobs not yet started, and whether the executor is in the
    /// pool's turn or running (it is never in both, so its jobs never run at once).
    fileprivate var jobs: [UnownedJob] = []
    fileprivate var scheduled = false
    /// When the job running now started (`DispatchTime` nanoseconds), 0 while none runs: a Lua
    /// call runs inside one job, so a job that does not end is a thread that has not come back.
    fileprivate let jobStarted = Atomic<UInt64>(0)

    fileprivate init(name: String, pool: LuaThreadPool) {
        self.name = name
        self.pool = pool
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        pool.enqueue(UnownedJob(job), on: self)
    }

    /// How long the job running now has run at `now` (`DispatchTime` nanoseconds); nil while none runs.
    public func busy(at now: UInt64) -> Duration? {
        let started = jobStarted.load(ordering: .relaxed)
        guard started != 0, now > started else { return nil }
        return .nanoseconds(Int64(now - started))
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}

/// A fixed set of Lua threads (one per CPU core, at least two) shared by every hook: each
/// thread takes the next hook with jobs, runs the jobs it has, and puts it at the back if more
/// came meanwhile. No hook is tied to a thread, so a thread never idles while a hook has work,
/// and hooks advance at the same pace however many there are: a hook pinned to a busier thread
/// would fall behind and hold its backlog's pod versions alive the longer.
public final class LuaThreadPool: @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`: hooks with jobs waiting for a thread, in turn, and what each
    /// thread runs now.
    private var turn = CircularBuffer<LuaThreadExecutor>()
    private var running: [LuaThreadExecutor?]
    private let names: [String]

    public init(threads: Int = max(2, ProcessInfo.processInfo.activeProcessorCount)) {
        names = (0..<max(1, threads)).map { "kubelua-lua-\($0)" }
        running = Array(repeating: nil, count: names.count)
        for (index, name) in names.enumerated() {
            let thread = Thread { [unowned self] in self.runJobs(thread: index) }
            thread.name = name
            thread.start()
        }
    }

    /// A serial executor for a hook version, run by this pool's threads.
    public func executor(for hook: String) -> LuaThreadExecutor {
        LuaThreadExecutor(name: hook, pool: self)
    }

    fileprivate func enqueue(_ job: UnownedJob, on executor: LuaThreadExecutor) {
        condition.lock()
        executor.jobs.append(job)
        if !executor.scheduled {
            executor.scheduled = true
            turn.append(executor)
            condition.signal()
        }
        condition.unlock()
    }

    /// The threads whose job has run longer than `limit` at `now` (`DispatchTime`
    /// nanoseconds), with the hook each runs.
    public func wedged(longerThan limit: Duration, at now: UInt64) -> [(thread: String, busy: Duration, hook: String)] {
        condition.lock()
        let executors = running
        condition.unlock()
        return zip(names, executors).compactMap { name, executor in
            guard let executor, let busy = executor.busy(at: now), busy > limit else { return nil }
            return (name, busy, executor.name)
        }
    }

    /// Runs hooks' jobs for the life of the process; pools are created once.
    private func runJobs(thread index: Int) {
        while true {
            condition.lock()
            while turn.isEmpty { condition.wait() }
            let executor = turn.removeFirst()
            let batch = executor.jobs
            executor.jobs.removeAll(keepingCapacity: true)
            running[index] = executor
            condition.unlock()
            for job in batch {
                executor.jobStarted.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
                job.runSynchronously(on: executor.asUnownedSerialExecutor())
                executor.jobStarted.store(0, ordering: .relaxed)
            }
            condition.lock()
            running[index] = nil
            if executor.jobs.isEmpty {
                executor.scheduled = false
            } else {
                turn.append(executor)
                condition.signal()
            }
            condition.unlock()
        }
    }

    /// One pool for the process.
    public static let shared = LuaThreadPool()
}
