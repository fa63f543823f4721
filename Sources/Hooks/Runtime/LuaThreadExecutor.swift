import Foundation
import Synchronization

/// A serial executor with a thread of its own: Lua handlers may run for up to their deadline,
/// and must not hold one of the few threads of Swift's cooperative pool while they do.
public final class LuaThreadExecutor: SerialExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    public let name: String
    /// When the job running now started (`DispatchTime` nanoseconds), 0 while idle: a Lua call
    /// runs inside one job, so a job that does not end is a thread that has not come back.
    private let jobStarted = Atomic<UInt64>(0)

    public init(name: String) {
        self.name = name
        let thread = Thread { [unowned self] in self.runJobs() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// How long the job running now has run at `now` (`DispatchTime` nanoseconds); nil while idle.
    public func busy(at now: UInt64) -> Duration? {
        let started = jobStarted.load(ordering: .relaxed)
        guard started != 0, now > started else { return nil }
        return .nanoseconds(Int64(now - started))
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Runs jobs for the life of the process; executors are created once, in a fixed pool.
    private func runJobs() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch {
                jobStarted.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
                job.runSynchronously(on: asUnownedSerialExecutor())
                jobStarted.store(0, ordering: .relaxed)
            }
        }
    }
}

/// A fixed set of Lua threads; hooks are spread over them.
public final class LuaThreadPool: Sendable {
    public let executors: [LuaThreadExecutor]
    private let counter = Mutex(0)

    public init(threads: Int = max(2, ProcessInfo.processInfo.activeProcessorCount)) {
        executors = (0..<max(1, threads)).map { LuaThreadExecutor(name: "kubelua-lua-\($0)") }
    }

    /// The executor for the next hook, round robin.
    public func assign() -> LuaThreadExecutor {
        executors[counter.withLock { $0 += 1; return $0 } % executors.count]
    }

    /// One pool for the process.
    public static let shared = LuaThreadPool()
}
