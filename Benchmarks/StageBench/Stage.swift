import Foundation
import Hooks
import Kube
import Lua

/// One stage of the pipeline, measured alone.
enum Stage: CaseIterable {
    case framing, parsing, parsingUnindexed, cache, lazyCall, lazyCallUnindexed, eagerCall, dispatch

    var label: String {
        switch self {
        case .framing: "framing (64 KiB chunks → objects + container index)"
        case .parsing: "parsing (event type, pod metadata, phase)"
        case .parsingUnindexed: "  the same without the framer's index (walks the pod)"
        case .cache: "informer cache (old → new)"
        case .lazyCall: "hook call, pods decoded as read (kubelua)"
        case .lazyCallUnindexed: "  the same without the container index (skips by scanning)"
        case .eagerCall: "  the same with pods decoded whole (json.decode's way)"
        case .dispatch: "dispatch + hook call through HookRuntime (batches of 10)"
        }
    }

    /// The best of `rounds` timings of the whole stage over every event, in seconds.
    func measure(_ input: StageInput, rounds: Int) async throws -> Double {
        var best = Double.infinity
        for _ in 0..<rounds {
            best = min(best, try await run(input))
        }
        return best
    }

    private func run(_ input: StageInput) async throws -> Double {
        switch self {
        case .framing:
            return try Self.time {
                var framer = JSONObjectFramer()
                var count = 0
                var offset = 0
                while offset < input.stream.count {
                    count += try framer.append(input.stream[offset..<min(offset + 65_536, input.stream.count)]).count
                    offset += 65_536
                }
                precondition(count == input.events)
            }
        case .parsing:
            return try Self.time {
                for frame in input.frames { _ = try WatchEvent.parse(frame) }
            }
        case .parsingUnindexed:
            return try Self.time {
                for frame in input.frames { _ = try WatchEvent.parse(frame.bytes) }
            }
        case .cache:
            var store = PodStore()
            for update in input.updates { _ = store.apply(.added(update.old!)) }
            return Self.time {
                for event in input.watchEvents { _ = store.apply(event) }
            }
        case .lazyCall:
            return try await HandlerCall(push: .lazy).time(input.updates)
        case .lazyCallUnindexed:
            return try await HandlerCall(push: .lazyWithoutIndex).time(input.updates)
        case .eagerCall:
            return try await HandlerCall(push: .eager).time(input.updates)
        case .dispatch:
            return try await RuntimeDispatch.time(input.updates, batch: 10)
        }
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = ProcessCPU.seconds()
        try body()
        return ProcessCPU.seconds() - start
    }
}
