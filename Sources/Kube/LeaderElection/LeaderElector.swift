import Foundation
import Logging
import ServiceLifecycle

/// `kubelua run --leader-elect`: the one interpreter of `LeaderElectionStateMachine`. It reads
/// and writes the Lease through the Kube client, sleeps on its clock, and tells `leadership`
/// when this replica starts and stops leading. Requests and wake-ups report back through one
/// queue of inputs, so the renew deadline is kept even while a request hangs.
///
/// On graceful shutdown it releases the lease (if it leads), then returns: run it before the
/// hooks in a service group (services shut down in reverse order), so it releases after they
/// have drained. Cancelled, it stops at once without releasing, and stops leading.
public struct LeaderElector: Service {
    public let client: KubeClient
    public let leadership: Leadership
    public let namespace: String
    public let name: String
    public let timings: LeaderElectionTimings
    let clock: ElectionClock
    let random: @Sendable () -> Double
    /// Told of each change as it is made, on the elector's task (metrics).
    let observe: @Sendable (Leadership.Change) -> Void
    let logger: Logger
    let willingness: ElectorWillingness

    enum Input: Sendable {
        case read(Lease?)
        case written(Lease)
        case conflict
        case failed(KubeRequestFailure)
        case tick
        case stopRequested
        case willing(Bool)
        case handedOver
    }

    public init(
        client: KubeClient, namespace: String, name: String, identity: String, timings: LeaderElectionTimings = LeaderElectionTimings(),
        clock: ElectionClock = .system, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, willing: Bool = true,
        logger: Logger, observe: @escaping @Sendable (Leadership.Change) -> Void = { _ in }
    ) {
        willingness = ElectorWillingness(willing)
        self.observe = observe
        self.client = client
        self.namespace = namespace
        self.name = name
        self.timings = timings
        self.clock = clock
        self.random = random
        self.logger = logger
        leadership = Leadership(lease: "\(namespace)/\(name)", identity: identity, now: clock.now)
    }

    public func run() async {
        let (inputs, feed) = AsyncStream.makeStream(of: Input.self)
        let willing = willingness.listen { feed.yield(.willing($0)) }
        leadership.listenForHandedOver { feed.yield(.handedOver) }
        var machine = LeaderElectionStateMachine(identity: leadership.identity, timings: timings, willing: willing, random: random)
        let tasks = ElectorTasks()
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                var pending = machine.start(at: now)
                var iterator = inputs.makeAsyncIterator()
                var last: Lease?
                while true {
                    for action in pending {
                        if perform(action, last: last, tasks: tasks, feed: feed) == .finished { return }
                    }
                    traceWait(machine)
                    guard let input = await iterator.next() else { return }
                    pending = apply(input, to: &machine, last: &last)
                }
            } onGracefulShutdown: {
                feed.yield(.stopRequested)
            }
        } onCancel: {
            feed.finish()
        }
        tasks.cancelAll()
        leadership.stop(.electorStopped).forEach(observe)
    }

    /// Whether this elector may take (and keep) its lease (shards: `ShardMembership` says). An
    /// unwilling leader hands its work over, releases, and stands as a candidate.
    public func setWilling(_ willing: Bool) {
        // Said before the elector hears of it, which it answers with its next `traceWait`.
        willingness.set(willing) { logger.trace("willingness changed", metadata: metadata) }
    }

    private var now: LeaderElectionStateMachine.Time {
        LeaderElectionStateMachine.Time(monotonic: clock.now(), wall: Date(timeIntervalSince1970: clock.wallSeconds()))
    }

    /// Hands one input to the machine; returns the actions that follow.
    private func apply(_ input: Input, to machine: inout LeaderElectionStateMachine, last: inout Lease?) -> [LeaderElectionStateMachine.Action] {
        switch input {
        case .read(let lease):
            if let lease {
                last = lease
                leadership.observe(lease)
            }
            return machine.leaseObserved(lease?.observed, at: now)
        case .written(let lease):
            last = lease
            leadership.observe(lease)
            return machine.writeSucceeded(lease.observed, at: now)
        case .conflict:
            logger.info("the lease changed since this replica read it (409)", metadata: metadata)
            return machine.conflict(at: now)
        case .failed(let failure):
            logger.warning("lease request failed: \(failure)", metadata: metadata.merging(["leading": .stringConvertible(machine.isLeading)]) { $1 })
            return machine.requestFailed(at: now)
        case .tick:
            return machine.tick(at: now)
        case .stopRequested:
            return machine.stopRequested(at: now)
        case .willing(let willing):
            return machine.willingnessChanged(willing, at: now)
        case .handedOver:
            return machine.handedOver(at: now)
        }
    }

    enum Performed { case done, finished }

    /// At trace level, after each step, what it waits for: an answer, or an instant. Tests
    /// move their virtual clock only once every elector waits for a later instant.
    private func traceWait(_ machine: LeaderElectionStateMachine) {
        guard logger.logLevel <= .trace else { return }
        switch machine.phase {
        case .requesting: logger.trace("waiting for an answer", metadata: metadata)
        case .waiting(let until): logger.trace("waiting until \(until)", metadata: metadata)
        case .idle, .stopped: break
        }
    }

    /// The one place actions are carried out.
    private func perform(_ action: LeaderElectionStateMachine.Action, last: Lease?, tasks: ElectorTasks, feed: AsyncStream<Input>.Continuation) -> Performed {
        switch action {
        case .get:
            send(.get, tasks, feed)
        case .create(let record):
            send(.create(withCheckpoint(Lease(namespace: namespace, name: name, record: record))), tasks, feed)
        case .update(let record, let resourceVersion), .release(let record, let resourceVersion):
            var lease = last ?? Lease(namespace: namespace, name: name, record: record)
            lease.record = record
            lease.resourceVersion = resourceVersion
            send(.update(withCheckpoint(lease)), tasks, feed)
        case .becomeLeader(let until):
            leadership.lead(until: until).forEach(observe)
            logger.info("this replica leads now", metadata: metadata)
        case .renewed(let until):
            leadership.lead(until: until).forEach(observe)
        case .stopLeading(let loss):
            leadership.stop(loss).forEach(observe)
            logger.log(level: loss == .released ? .info : .warning, "this replica stopped leading: \(Self.explain(loss))", metadata: metadata)
        case .wake(let instant):
            tasks.replaceWake(Task { [clock] in
                do { try await clock.sleep(instant) } catch { return }
                feed.yield(.tick)
            })
        case .handOver:
            leadership.handOver()
            logger.info("handing the work over before releasing the lease (another replica's turn)", metadata: metadata)
        case .holderObserved(let holder):
            leadership.observe(holder: holder)
            logger.info("lease holder: \(holder ?? "nobody")", metadata: metadata)
        case .warn(let message):
            logger.warning("\(message)", metadata: metadata)
        case .finished:
            return .finished
        }
        return .done
    }

    /// The lease with this term's checkpoint, if one was published; otherwise it keeps the one
    /// it carries (a takeover writes its predecessor's back).
    private func withCheckpoint(_ lease: Lease) -> Lease {
        guard let checkpoint = leadership.checkpointToWrite else { return lease }
        var lease = lease
        lease.annotations[LeaseCheckpoint.annotation] = checkpoint.annotationValue
        return lease
    }

    enum Request: Sendable {
        case get
        case create(Lease)
        case update(Lease)
    }

    /// Sends one request in the background; its answer comes back as an input.
    private func send(_ request: Request, _ tasks: ElectorTasks, _ feed: AsyncStream<Input>.Continuation) {
        tasks.replaceRequest(Task { [client, namespace, name, timings] in
            let timeout = timings.renewDeadline
            do throws(KubeRequestFailure) {
                switch request {
                case .get: feed.yield(.read(try await client.lease(namespace: namespace, name: name, timeout: timeout)))
                case .create(let lease): feed.yield(.written(try await client.create(lease, timeout: timeout)))
                case .update(let lease): feed.yield(.written(try await client.update(lease, timeout: timeout)))
                }
            } catch {
                if case .status(let status) = error, status.code == 409 {
                    feed.yield(.conflict)
                } else {
                    feed.yield(.failed(error))
                }
            }
        })
    }

    private var metadata: Logger.Metadata {
        ["lease": "\(leadership.lease)", "identity": "\(leadership.identity)"]
    }

    private static func explain(_ loss: LeadershipLoss) -> String {
        switch loss {
        case .conflict: "another replica wrote the lease (409)"
        case .renewDeadline: "no renewal succeeded within the renew deadline; no handler call starts until it leads again"
        case .released: "released the lease for another replica to take"
        case .electorStopped: "the elector stopped"
        }
    }
}
