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
    /// The thread that ran it last (-1: none yet).
    fileprivate var lastThread = -1
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
    private let lock = NSLock()
    /// Guarded by `lock`: hooks with jobs waiting for a thread, in turn; what each thread runs
    /// now; the threads waiting for work, the one that went idle last at the end.
    private var turn = CircularBuffer<LuaThreadExecutor>()
    private var running: [LuaThreadExecutor?]
    private var idle: [Int] = []
    /// Each thread waits on its own, so that a hook's jobs can wake the thread that ran it last,
    /// whose caches still hold its Lua state.
    private let wakeUps: [DispatchSemaphore]
    private let names: [String]

    public init(threads: Int = max(2, ProcessInfo.processInfo.activeProcessorCount)) {
        names = (0..<max(1, threads)).map { "kubelua-lua-\($0)" }
        running = Array(repeating: nil, count: names.count)
        wakeUps = names.map { _ in DispatchSemaphore(value: 0) }
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
        lock.lock()
        executor.jobs.append(job)
        guard !executor.scheduled else { return lock.unlock() }
        executor.scheduled = true
        turn.append(executor)
        let woken = takeIdleThread(preferring: executor.lastThread)
        lock.unlock()
        if let woken { wakeUps[woken].signal() }
    }

    /// An idle thread to wake (under `lock`): `preferred` if it is idle, else the one idle last.
    private func takeIdleThread(preferring preferred: Int) -> Int? {
        guard !idle.isEmpty else { return nil }
        return idle.remove(at: idle.lastIndex(of: preferred) ?? idle.count - 1)
    }

    /// The threads whose job has run longer than `limit` at `now` (`DispatchTime`
    /// nanoseconds), with the hook each runs.
    public func wedged(longerThan limit: Duration, at now: UInt64) -> [(thread: String, busy: Duration, hook: String)] {
        lock.lock()
        let executors = running
        lock.unlock()
        return zip(names, executors).compactMap { name, executor in
            guard let executor, let busy = executor.busy(at: now), busy > limit else { return nil }
            return (name, busy, executor.name)
        }
    }

    /// Runs hooks' jobs for the life of the process; pools are created once.
    private func runJobs(thread index: Int) {
        while true {
            lock.lock()
            guard !turn.isEmpty else {
                idle.append(index)
                lock.unlock()
                wakeUps[index].wait()
                continue
            }
            let executor = turn.removeFirst()
            let batch = executor.jobs
            executor.jobs.removeAll(keepingCapacity: true)
            executor.lastThread = index
            running[index] = executor
            lock.unlock()
            for job in batch {
                executor.jobStarted.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
                job.runSynchronously(on: executor.asUnownedSerialExecutor())
                executor.jobStarted.store(0, ordering: .relaxed)
            }
            lock.lock()
            running[index] = nil
            var woken: Int?
            if executor.jobs.isEmpty {
                executor.scheduled = false
            } else {
                // Back at the end of the turn; this thread goes on with the turn's head, and an
                // idle one is woken only if the turn holds another hook besides.
                turn.append(executor)
                if turn.count > 1 { woken = takeIdleThread(preferring: -1) }
            }
            lock.unlock()
            if let woken { wakeUps[woken].signal() }
        }
    }

    /// One pool for the process.
    public static let shared = LuaThreadPool()
}
