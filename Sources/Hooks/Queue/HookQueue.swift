import Kube
import NIOCore

/// The scheduling of one hook version as a pure state machine: per-pod lines of events (each
/// pod's in order, one at a time), pods whose handler waits on a helper, retries waiting for
/// their time, debounce windows, and whose turn it is. It reads no clock and starts nothing:
/// each input says what happened (events handed over, a call finished, the clock reached a
/// wake-up time, a reload) and returns the actions to carry out. `HookInstance` is its one
/// interpreter; `docs/hooks.md` is the contract.
///
/// Pods take turns: a pod whose head event is runnable waits in `ready` once; after its call it
/// goes to the back if it has more. One worker at a time takes calls (`next`); a call about to
/// wait on a helper leaves the worker role (`suspended`) so the others go on, and takes it back
/// when it finishes if nobody holds it.
public struct HookQueue: Sendable {
    public struct Settings: Sendable, Equatable {
        public var retry: RetryPolicy?
        /// Updates of one pod within this many nanoseconds of the first reach the hook as one.
        public var debounce: UInt64?

        public init(retry: RetryPolicy? = nil, debounce: UInt64? = nil) {
            self.retry = retry
            self.debounce = debounce
        }
    }

    /// A handler call to run: a pod's head event (from its `step`), or a schedule tick.
    public enum Call: Sendable, Equatable {
        case event(PodKey, QueuedEvent)
        case schedule(tick: UInt64)

        /// Whose call it is, for `suspended` and `finished`.
        public var subject: Subject {
            switch self {
            case .event(let pod, _): .pod(pod)
            case .schedule: .schedule
            }
        }
    }

    /// What a call belongs to: a pod's line, or the hook's schedule (never two ticks at once).
    public enum Subject: Sendable, Hashable {
        case pod(PodKey)
        case schedule
    }

    /// What a wake-up is for.
    enum Wake: Sendable, Equatable {
        /// A pod's head waits (retry, debounce window).
        case line(PodKey)
        case timer(PodKey)
        case schedule
        case resync
    }

    /// How a call ended.
    public enum Outcome: Sendable, Equatable {
        case succeeded
        /// The handler of `step` raised or was killed.
        case failed(step: Int)
        /// The handler of `step` asked to be run again (`retry()`), after `delay` nanoseconds
        /// or the policy's backoff.
        case retryRequested(step: Int, delay: UInt64?)
    }

    public enum Action: Sendable, Equatable {
        /// Start a worker: a task that takes calls with `next` until it gets none.
        case startWorker
        /// The task that reported the call goes on taking calls.
        case keepWorking
        /// Report `clockReached` at this instant.
        case wake(at: UInt64)
        /// This event is finished (handled, given up, or merged into another): release its ledger unit.
        case release(batch: Int)
        /// Retried as often as allowed: log and count it (the event's ledger unit is released too).
        case giveUp(pod: PodKey, event: QueuedEvent)
        /// A failed call will run again at this instant.
        case retryScheduled(pod: PodKey, attempt: Int, at: UInt64)
        /// The schedule's tick came (it runs, or `scheduleSkipped` says why not): arm the next.
        case scheduleFired(tick: UInt64)
        /// The tick came while the previous tick's call still ran: not run, counted.
        case scheduleSkipped(tick: UInt64)
        /// Time to hand the hook its next slice of pods again (`resync`); arm the next.
        case resyncDue(at: UInt64)
    }

    /// One pod's events, head first. A class: the hot paths read and change a line in the
    /// dictionary many times per event, and a struct there is copied whole on every read.
    /// Only the machine touches it, under its owner's lock.
    public final class Line: @unchecked Sendable {
        var events: LineEvents
        /// The head is running (its task may be waiting on a helper).
        var running = false
        /// The head's task gave up the worker role while it waits.
        var suspended = false
        /// The head may not run before then (a retry's backoff, or a debounce window).
        var waitingUntil: UInt64?
        /// The wait is a retry's (a newer event may supersede it).
        var waitingForRetry = false
        /// The pod's key is in `ready`.
        var isReady = false
        /// Its last event finished: the line goes.
        var isEmpty = false

        init(events: LineEvents) {
            self.events = events
        }
    }

    /// Past this many entries, `lines` and `ready` give their storage back once they are empty:
    /// a burst (a list's initial adds, a backlog at its bound) would otherwise leave every hook
    /// version holding tables sized for it for good. Below it they keep it for the next batch.
    static let keptCapacity = 4_096

    let settings: Settings
    private(set) var lines: [PodKey: Line] = [:]
    /// Pods whose head may run, in turn, with their lines (no lookup to take one). A ring: a
    /// taken entry is gone at once, so the line of a finished event (and the pod versions its
    /// last event holds) is not kept alive by the turn.
    private var ready = CircularBuffer<(pod: PodKey, line: Line)>()
    /// Worlds handed over whose initial adds are not all in lines yet, in the order they came;
    /// none is empty. A pod with a line has no add left in them: whatever comes for a pod
    /// draws its adds first (`drawAdds`).
    private var worlds: [UndrawnWorld] = []
    /// Wake-up times and their pods, earliest first; an entry whose line no longer waits until
    /// then is stale and skipped.
    private var waits: [(at: UInt64, wake: Wake)] = []
    /// Per-pod timers (`timer.after`): when each fires, and the pod as last handed over.
    private var timers: [PodKey: (at: UInt64, pod: PodRecord)] = [:]
    /// The schedule: a tick is due (waits for the worker) or its call is running.
    private var scheduleDue: UInt64?
    private var scheduleRunning = false
    private var scheduleSuspended = false
    /// When the last schedule call ended: a tick due before then came while it ran, even if
    /// its wake-up is reported later.
    private var scheduleLastEnd: UInt64?
    /// Nothing runs until `open`: a hook version starts with `on_start`, before its events.
    private var gated: Bool
    /// The replica stopped leading: nothing runs again, and whatever is handed over is released.
    private var fenced = false
    /// The earliest wake-up asked for and not yet reached.
    private var armed: UInt64?
    private var workerActive = false
    private var running = 0
    private var random: UInt64

    public init(settings: Settings = Settings(), seed: UInt64 = 0x9E37_79B9_7F4A_7C15, gated: Bool = false) {
        self.settings = settings
        random = seed
        self.gated = gated
    }

    /// Nothing runnable, running or being worked on (events may still wait for their time, or
    /// for the gate).
    public var isIdle: Bool {
        (gated || (ready.isEmpty && scheduleDue == nil && worlds.isEmpty)) && running == 0 && !workerActive
    }

    /// Pending timers (`timer.after`), one per pod at most.
    public var timerCount: Int { timers.count }

    /// The earliest wake-up asked for (an event's retry or window, a timer, a schedule tick, a
    /// resync); nil when none.
    public var nextWake: UInt64? { waits.first?.at }

    /// The earliest time an event waits for (a retry, a debounce window); nil when none does.
    public var nextEventWake: UInt64? {
        waits.first { if case .line = $0.wake { true } else { false } }?.at
    }

    /// Events held, running ones included, and initial adds not drawn yet.
    public var count: Int { lines.values.reduce(0) { $0 + $1.events.count } + worlds.reduce(0) { $0 + $1.count } }

    // MARK: Inputs

    /// Events handed to this hook at `now`, in order, reserved in ledger batch `batch`, with the
    /// reason a selector gave each (`reasons` empty: none did).
    public mutating func handOver(
        _ events: [PodEvent], reasons: [HookEventReason?] = [], batch: Int, now: UInt64, origin: QueuedEvent.Origin = .informer
    ) -> [Action] {
        if fenced { return events.map { _ in .release(batch: batch) } }
        var actions: [Action] = []
        for (position, event) in events.enumerated() {
            var queued = QueuedEvent(event, reason: reasons.isEmpty ? nil : reasons[position], batch: batch)
            queued.origin = origin
            // A pod deleted, or no longer selected, has no timer left.
            if event.kind == .delete { timers[event.pod.key] = nil }
            if !worlds.isEmpty { drawAdds(of: event.pod.key, into: &actions) }
            admit(queued, now: now, into: &actions)
        }
        startWorkerIfNeeded(into: &actions)
        return actions
    }

    /// A world handed to this version: one initial add per pod (one record each), reserved in
    /// ledger batch `batch`. The adds are not queued at once: the worker draws them into lines
    /// as it takes calls, when the turn runs short, so a world costs its array rather than a
    /// line per pod. Whatever comes for a pod before its add is drawn (an event, a timer, an
    /// adopted retry) draws it first; a pod that has a line already gets its add behind it now.
    public mutating func handOverWorld(_ pods: [PodRecord], batch: Int) -> [Action] {
        if fenced { return pods.map { _ in .release(batch: batch) } }
        var actions: [Action] = []
        guard !pods.isEmpty else { return actions }
        worlds.append(UndrawnWorld(pods, batch: batch))
        for pod in lines.keys.sorted() { drawAdds(of: pod, into: &actions) }
        startWorkerIfNeeded(into: &actions)
        return actions
    }

    /// The worker's next call; nil when nothing is runnable, and the worker is then done.
    public mutating func next() -> Call? { next(upTo: 1).first }

    /// The worker's next calls in turn, at most `limit` (each pod's at most once: its events
    /// run one at a time); none when nothing is runnable, and the worker is then done. Taking
    /// several under one lock spares the worker a lock per call; those a task took and did not
    /// run go back to the front with `suspended`.
    public mutating func next(upTo limit: Int) -> [Call] {
        if gated {
            workerActive = false
            return []
        }
        var calls: [Call] = []
        calls.reserveCapacity(min(limit, ready.count + 1))
        if let tick = scheduleDue {
            scheduleDue = nil
            scheduleRunning = true
            running += 1
            calls.append(.schedule(tick: tick))
        }
        while calls.count < limit {
            // The worlds' adds fill the turn when it runs out.
            if ready.isEmpty {
                guard !worlds.isEmpty else { break }
                drawWorlds(upTo: limit - calls.count)
            }
            let (key, line) = ready.removeFirst()
            if ready.isEmpty, ready.capacity > Self.keptCapacity { ready = [] }
            guard line.isReady else { continue }
            line.isReady = false
            line.running = true
            line.events[0].mergeableUntil = nil
            running += 1
            calls.append(.event(key, line.events[0]))
        }
        if calls.isEmpty { workerActive = false }
        return calls
    }

    /// How a call its task ran ended, for `finished` and `suspended`.
    public typealias Report = (subject: Subject, outcome: Outcome)

    /// The running call of `subject` is about to wait on a helper: its task stops being the
    /// worker, and another starts if there is work. The calls the task ran before it are
    /// reported with it (`finished`), and those it took and will not run now (`untaken`) go
    /// back to the front of the turn, so no pod waits behind another's helper.
    public mutating func suspended(
        _ subject: Subject, finished reports: [Report] = [], untaken: ArraySlice<Call> = [], now: UInt64 = 0
    ) -> [Action] {
        var actions: [Action] = []
        for report in reports { _ = finish(report, now: now, into: &actions) }
        giveBack(untaken, into: &actions)
        switch subject {
        case .pod(let pod):
            guard let line = lines[pod], line.running, !line.suspended else { return actions }
            line.suspended = true
        case .schedule:
            guard scheduleRunning, !scheduleSuspended else { return actions }
            scheduleSuspended = true
        }
        workerActive = false
        startWorkerIfNeeded(into: &actions)
        return actions
    }

    /// The running call of `subject` ended at `now`.
    public mutating func finished(_ subject: Subject, _ outcome: Outcome, now: UInt64) -> [Action] {
        finished([(subject, outcome)], now: now)
    }

    /// The running calls of one task ended at `now`, in the order it ran them; those it took
    /// and did not run (`untaken`: the replica stopped leading) go back.
    public mutating func finished(_ reports: [Report], untaken: ArraySlice<Call> = [], now: UInt64) -> [Action] {
        var actions: [Action] = []
        var reported = false, wasSuspended = false
        for report in reports {
            guard let suspended = finish(report, now: now, into: &actions) else { continue }
            reported = true
            wasSuspended = wasSuspended || suspended
        }
        giveBack(untaken, into: &actions)
        if reported { workerContinues(wasSuspended: wasSuspended, into: &actions) }
        return actions
    }

    /// Sets the pod's timer (replacing any) to fire at `instant`; `pod` is its state as the
    /// hook last saw it (the interpreter hands the call the latest cached one).
    public mutating func setTimer(_ pod: PodRecord, at instant: UInt64) -> [Action] {
        guard !fenced else { return [] }
        timers[pod.key] = (instant, pod)
        var actions: [Action] = []
        addWait(.timer(pod.key), at: instant, into: &actions)
        return actions
    }

    public func hasTimer(_ pod: PodKey) -> Bool { timers[pod] != nil }

    public mutating func cancelTimer(_ pod: PodKey) {
        timers[pod] = nil
    }

    /// Asks for the schedule's next tick at `instant`.
    public mutating func armSchedule(at instant: UInt64) -> [Action] {
        guard !fenced else { return [] }
        var actions: [Action] = []
        addWait(.schedule, at: instant, into: &actions)
        return actions
    }

    /// Asks for the next resync slice at `instant`.
    public mutating func armResync(at instant: UInt64) -> [Action] {
        guard !fenced else { return [] }
        var actions: [Action] = []
        addWait(.resync, at: instant, into: &actions)
        return actions
    }

    /// Lets calls run (after `on_start`).
    public mutating func open() -> [Action] {
        guard !fenced else { return [] }
        gated = false
        var actions: [Action] = []
        startWorkerIfNeeded(into: &actions)
        return actions
    }

    /// The clock reached `now`, for a wake-up asked for at `instant`.
    public mutating func clockReached(_ instant: UInt64, now: UInt64) -> [Action] {
        if armed == instant { armed = nil }
        var actions: [Action] = []
        var due = 0
        while due < waits.count, waits[due].at <= now { due += 1 }
        let reached = waits[..<due]
        waits.removeFirst(due)
        for (at, wake) in reached {
            switch wake {
            case .line(let pod):
                guard let index = lines.index(forKey: pod), !lines.values[index].running, lines.values[index].waitingUntil == at else { continue }
                lines.values[index].waitingUntil = nil
                lines.values[index].waitingForRetry = false
                lines.values[index].events[0].mergeableUntil = nil
                makeReady(at: index)
            case .timer(let pod):
                guard let timer = timers[pod], timer.at == at else { continue }
                timers[pod] = nil
                fireTimer(timer.pod, now: now, into: &actions)
            case .schedule:
                actions.append(.scheduleFired(tick: at))
                if scheduleRunning || scheduleDue != nil || scheduleLastEnd.map({ $0 >= at }) == true {
                    actions.append(.scheduleSkipped(tick: at))
                } else {
                    scheduleDue = at
                }
            case .resync:
                actions.append(.resyncDue(at: at))
            }
        }
        if let next = waits.first?.at, armed.map({ next < $0 }) ?? true {
            armed = next
            actions.append(.wake(at: next))
        }
        startWorkerIfNeeded(into: &actions)
        return actions
    }

    /// Closes every debounce window at once (shutdown: what was held back runs now).
    public mutating func closeWindows() -> [Action] {
        var actions: [Action] = []
        for index in lines.indices {
            for event in lines.values[index].events.indices { lines.values[index].events[event].mergeableUntil = nil }
            let line = lines.values[index]
            if line.waitingUntil != nil, !line.waitingForRetry, !line.running {
                lines.values[index].waitingUntil = nil
                makeReady(at: index)
            }
        }
        startWorkerIfNeeded(into: &actions)
        return actions
    }

    /// A newer version of the hook takes over: the pods waiting for a retry leave with their
    /// lines (the new version adopts them); open debounce windows close, so what this version
    /// was handed runs here now.
    public mutating func retire() -> (handed: [(PodKey, Line)], actions: [Action]) {
        let handed = lines.filter { !$0.value.running && $0.value.waitingForRetry }.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }
        for (pod, _) in handed { lines[pod] = nil }
        return (handed, closeWindows())
    }

    /// Takes over lines a previous version handed on (`retire`), before anything else is handed over.
    public mutating func adopt(_ handed: [(PodKey, Line)]) -> [Action] {
        var actions: [Action] = []
        for (pod, line) in handed {
            lines[pod] = line
            if let until = line.waitingUntil { addWait(.line(pod), at: until, into: &actions) }
            drawAdds(of: pod, into: &actions)
        }
        return actions
    }

    /// This replica stopped leading: no call starts from now on. Every event held (queued,
    /// waiting for a retry or a debounce window) is released at once, timers, the schedule and
    /// resyncs stop; calls running finish, and their events are released then. For good: a
    /// replica that leads again starts new versions.
    public mutating func fence() -> [Action] {
        guard !fenced else { return [] }
        fenced = true
        gated = true
        var actions: [Action] = []
        for pod in lines.keys.sorted() {
            let line = lines[pod]!
            if line.running {
                for event in line.events.rest { release(batch: event.batch, into: &actions) }
                line.events.removeRest()
            } else {
                for index in 0..<line.events.count { release(batch: line.events[index].batch, into: &actions) }
                lines[pod] = nil
            }
        }
        for world in worlds {
            for _ in 0..<world.count { release(batch: world.batch, into: &actions) }
        }
        worlds.removeAll()
        ready.removeAll()
        waits.removeAll()
        timers.removeAll()
        scheduleDue = nil
        armed = nil
        return actions
    }

    // MARK: Steps

    /// Ends one running call; returns whether its task had left the worker role (nil: the call
    /// was not running).
    private mutating func finish(_ report: Report, now: UInt64, into actions: inout [Action]) -> Bool? {
        guard case .pod(let pod) = report.subject else {
            guard scheduleRunning else { return nil }
            running -= 1
            scheduleRunning = false
            scheduleLastEnd = now
            defer { scheduleSuspended = false }
            return scheduleSuspended
        }
        guard let index = lines.index(forKey: pod), lines.values[index].running else { return nil }
        running -= 1
        let wasSuspended = lines.values[index].suspended
        lines.values[index].running = false
        lines.values[index].suspended = false
        if fenced {
            // Whatever the outcome, nothing runs again here: no retry, the event is released.
            removeHead(at: index, into: &actions)
            lines.remove(at: index)
            return wasSuspended
        }
        switch report.outcome {
        case .succeeded:
            removeHead(at: index, into: &actions)
        case .failed(let step):
            retryOrGiveUp(at: index, step: step, asked: nil, policy: settings.retry, now: now, into: &actions)
        case .retryRequested(let step, let delay):
            retryOrGiveUp(at: index, step: step, asked: delay, policy: settings.retry ?? .whenAsked, now: now, into: &actions)
        }
        if lines.values[index].isEmpty {
            lines.remove(at: index)
            if lines.isEmpty, lines.capacity > Self.keptCapacity { lines = [:] }
        } else if lines.values[index].waitingUntil == nil {
            scheduleHead(at: index, now: now, into: &actions)
        }
        return wasSuspended
    }

    /// Calls taken and not run go back to the front of the turn, in the order they were taken.
    private mutating func giveBack(_ calls: ArraySlice<Call>, into actions: inout [Action]) {
        var front: [(pod: PodKey, line: Line)] = []
        for call in calls {
            switch call {
            case .schedule(let tick):
                guard scheduleRunning else { continue }
                scheduleRunning = false
                running -= 1
                if !fenced { scheduleDue = tick }
            case .event(let pod, _):
                guard let line = lines[pod], line.running else { continue }
                line.running = false
                running -= 1
                if fenced {
                    // Nothing runs here again: the line's events are released (`fence`).
                    for index in line.events.indices { release(batch: line.events[index].batch, into: &actions) }
                    lines[pod] = nil
                    continue
                }
                line.isReady = true
                front.append((pod, line))
            }
        }
        for entry in front.reversed() { ready.prepend(entry) }
    }

    /// Queues `event` behind its pod's line, or as a new line (an update opening its debounce
    /// window, anything else in turn).
    private mutating func admit(_ event: QueuedEvent, now: UInt64, into actions: inout [Action]) {
        let pod = event.pod.key
        if let index = lines.index(forKey: pod) { return append(event, to: index, now: now, into: &actions) }
        let line = Line(events: LineEvents(event))
        if event.kind == .update, let window = settings.debounce {
            line.events[0].mergeableUntil = now + window
            line.waitingUntil = now + window
            lines[pod] = line
            addWait(.line(pod), at: now + window, into: &actions)
        } else {
            line.isReady = true
            lines[pod] = line
            ready.append((pod, line))
        }
    }

    /// The pod's initial adds not drawn yet, from every world in the order they came, join its
    /// line now, ahead of whatever comes for it next. An add reads no clock (it joins no window
    /// and opens none; any window before it closes), hence `now` 0.
    private mutating func drawAdds(of pod: PodKey, into actions: inout [Action]) {
        for index in worlds.indices {
            if let add = worlds[index].draw(pod) { admit(add, now: 0, into: &actions) }
        }
        worlds.removeAll { $0.isEmpty }
    }

    /// Draws the worlds' next pods in turn, at most `count`, each a new line at the back of the
    /// turn (it has none: a pod with a line has no add left to draw), its adds from later
    /// worlds behind it.
    private mutating func drawWorlds(upTo count: Int) {
        for _ in 0..<count {
            guard !worlds.isEmpty else { return }
            let add = worlds[0].drawNext(), pod = add.pod.key
            let line = Line(events: LineEvents(add))
            for index in worlds.indices.dropFirst() {
                if let later = worlds[index].draw(pod) { line.events.append(later) }
            }
            worlds.removeAll { $0.isEmpty }
            line.isReady = true
            lines[pod] = line
            ready.append((pod, line))
        }
    }

    /// Adds `event` behind the pod's line: merged into a debounced update whose window is open,
    /// or into a retry it supersedes.
    private mutating func append(_ event: QueuedEvent, to index: Dictionary<PodKey, Line>.Index, now: UInt64, into actions: inout [Action]) {
        // A waiting retry that a newer event supersedes: the event, and any queued behind the
        // retry, are merged into it, and it runs now, from its first attempt.
        if lines.values[index].waitingForRetry, settings.retry?.supersede == true {
            for later in lines.values[index].events.rest + [event] {
                lines.values[index].events[0].absorb(later)
                release(batch: later.batch, into: &actions)
            }
            lines.values[index].events.removeRest()
            lines.values[index].waitingUntil = nil
            lines.values[index].waitingForRetry = false
            makeReady(at: index)
            return
        }
        let last = lines.values[index].events.count - 1
        let running = last == 0 && lines.values[index].running
        let lastIsOpen = !running && (lines.values[index].events[last].mergeableUntil.map { $0 > now } ?? false)
        if lastIsOpen, event.kind == .update, event.origin != .timer, lines.values[index].events[last].kind == .update,
            lines.values[index].events[last].origin != .timer
        {
            lines.values[index].events[last].absorb(event)
            release(batch: event.batch, into: &actions)
            return
        }
        var event = event
        if event.kind == .update, let window = settings.debounce { event.mergeableUntil = now + window }
        lines.values[index].events.append(event)
        // Anything but an update closes the window before it: a delete is never merged away,
        // and nothing waits behind a window it cannot join.
        if lastIsOpen, event.kind != .update {
            lines.values[index].events[last].mergeableUntil = nil
            if last == 0, lines.values[index].waitingUntil != nil, !lines.values[index].waitingForRetry {
                lines.values[index].waitingUntil = nil
                makeReady(at: index)
            }
        }
    }

    /// The head failed: it waits for its next attempt, or is given up (logged when a policy allowed retries).
    private mutating func retryOrGiveUp(
        at index: Dictionary<PodKey, Line>.Index, step: Int, asked: UInt64?, policy: RetryPolicy?, now: UInt64,
        into actions: inout [Action]
    ) {
        let pod = lines.keys[index]
        let head = lines.values[index].events[0]
        guard let policy, head.attempt < policy.attempts else {
            if policy != nil { actions.append(.giveUp(pod: pod, event: head)) }
            removeHead(at: index, into: &actions)
            return
        }
        let at = now + (asked ?? policy.delay(after: head.attempt, jitter: nextJitter()))
        lines.values[index].events[0].attempt += 1
        lines.values[index].events[0].step = step
        lines.values[index].waitingUntil = at
        lines.values[index].waitingForRetry = true
        actions.append(.retryScheduled(pod: pod, attempt: head.attempt + 1, at: at))
        addWait(.line(pod), at: at, into: &actions)
    }

    /// The line's new head runs when its debounce window closes, or now.
    private mutating func scheduleHead(at index: Dictionary<PodKey, Line>.Index, now: UInt64, into actions: inout [Action]) {
        if let until = lines.values[index].events[0].mergeableUntil, until > now {
            lines.values[index].waitingUntil = until
            addWait(.line(lines.keys[index]), at: until, into: &actions)
        } else {
            lines.values[index].events[0].mergeableUntil = nil
            makeReady(at: index)
        }
    }

    private mutating func makeReady(at index: Dictionary<PodKey, Line>.Index) {
        guard !lines.values[index].isReady else { return }
        lines.values[index].isReady = true
        ready.append((lines.keys[index], lines.values[index]))
    }

    private mutating func addWait(_ wake: Wake, at instant: UInt64, into actions: inout [Action]) {
        var low = 0, high = waits.count
        while low < high {
            let middle = (low + high) / 2
            if waits[middle].at <= instant { low = middle + 1 } else { high = middle }
        }
        waits.insert((instant, wake), at: low)
        if armed.map({ instant < $0 }) ?? true {
            armed = instant
            actions.append(.wake(at: instant))
        }
    }

    /// A timer's call joins its pod's line, behind the pod's events.
    private mutating func fireTimer(_ pod: PodRecord, now: UInt64, into actions: inout [Action]) {
        if !worlds.isEmpty { drawAdds(of: pod.key, into: &actions) }
        let event = QueuedEvent(timerFor: pod)
        if let index = lines.index(forKey: pod.key) {
            // Behind whatever the pod has queued, waiting (a retry, a debounce window) or not.
            lines.values[index].events.append(event)
        } else {
            lines[pod.key] = Line(events: LineEvents(event))
            makeReady(at: lines.index(forKey: pod.key)!)
        }
    }

    /// The head is finished: it leaves the line (an emptied line is marked, for `finished` to
    /// remove) and the ledger.
    private mutating func removeHead(at index: Dictionary<PodKey, Line>.Index, into actions: inout [Action]) {
        let (batch, remaining) = lines.values[index].events.removeHead()
        lines.values[index].isEmpty = !remaining
        release(batch: batch, into: &actions)
    }

    /// A finished event leaves the ledger (a timer's call was never in it).
    private func release(batch: Int, into actions: inout [Action]) {
        if batch >= 0 { actions.append(.release(batch: batch)) }
    }

    /// Whether the task that reported a call goes on as the worker: it was one, or it waited
    /// on a helper and nobody took the role meanwhile.
    private mutating func workerContinues(wasSuspended: Bool, into actions: inout [Action]) {
        guard wasSuspended else { return actions.append(.keepWorking) }
        guard !workerActive else { return }
        workerActive = true
        actions.append(.keepWorking)
    }

    private mutating func startWorkerIfNeeded(into actions: inout [Action]) {
        guard !workerActive, !gated, !ready.isEmpty || scheduleDue != nil || !worlds.isEmpty else { return }
        workerActive = true
        actions.append(.startWorker)
    }

    /// A number in [0, 1) from the queue's own generator (splitmix64), so a seed replays the same jitter.
    private mutating func nextJitter() -> Double {
        random &+= 0x9E37_79B9_7F4A_7C15
        var z = random
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
