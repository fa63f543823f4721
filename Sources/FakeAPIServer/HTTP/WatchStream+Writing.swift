import NIOCore
import NIOHTTP1

/// Writing lines, injected faults and the ways a watch ends.
extension WatchStream {
    /// One line as one chunk, or as K chunks under `splitEvents`.
    func writeLine(_ line: ByteBuffer) {
        let parts = min(plan.chunksPerEvent, line.readableBytes)
        guard parts > 1 else {
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(line))), promise: nil)
            return
        }
        var rest = line
        for index in 0..<parts {
            let size = rest.readableBytes / (parts - index)
            let piece = rest.readSlice(length: size)!
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(piece))), promise: nil)
        }
    }

    func writeDueInjections() {
        while injectionsWritten < plan.injections.count, plan.injections[injectionsWritten].afterEvents <= eventsWritten {
            writeLine(plan.injections[injectionsWritten].line)
            injectionsWritten += 1
        }
    }

    /// Applies `closeAfter`/`resetAfter` once enough events are out; true if the stream ended.
    func reachedEnding() -> Bool {
        switch plan.ending {
        case .close(let n)? where eventsWritten >= n:
            finish()
            return true
        case .reset(let n)? where eventsWritten >= n:
            cleanUp()
            ConnectionFaults.reset(context)
            return true
        default:
            return false
        }
    }

    /// Half an event, then the connection closes without a terminal chunk.
    func writePartial(_ line: ByteBuffer) {
        cleanUp()
        let half = line.getSlice(at: line.readerIndex, length: max(1, line.readableBytes / 2))!
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(half))), promise: nil)
        context.close(promise: nil)
    }

    /// Ends the response cleanly (terminal chunk); the connection stays usable.
    func finish() {
        guard !finished else { return }
        cleanUp()
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
        onEnd()
    }

    func cleanUp() {
        finished = true
        if let subscription { store.unsubscribe(subscription) }
        subscription = nil
        sink?.close()
        sink = nil
        timeout?.cancel()
        timeout = nil
        bookmarkTask?.cancel()
        bookmarkTask = nil
    }
}
