import NIOCore
import NIOHTTP1

/// Writing complete replies, with the fault plan's endings and chunking applied.
extension APIChannelHandler {
    func send(_ reply: Reply, _ request: APIRequest, plan: FaultPlan = FaultPlan(nil), context: ChannelHandlerContext) {
        var headers = reply.headers
        switch plan.ending {
        case .close?:
            context.close(promise: nil)
            return
        case .reset?:
            ConnectionFaults.reset(context)
            return
        case .partial?:
            // The promised length, half the bytes, then the connection drops.
            headers.replaceOrAdd(name: "Content-Length", value: String(reply.body.readableBytes))
            let half = reply.body.getSlice(at: reply.body.readerIndex, length: reply.body.readableBytes / 2)!
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: reply.status, headers: headers))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(half))), promise: nil)
            context.close(promise: nil)
            return
        case nil:
            break
        }
        let parts = min(plan.chunksPerEvent, max(1, reply.body.readableBytes))
        if parts > 1 {
            headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
        } else {
            headers.replaceOrAdd(name: "Content-Length", value: String(reply.body.readableBytes))
        }
        if !request.keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: reply.status, headers: headers))), promise: nil)
        var rest = reply.body
        for index in 0..<parts {
            let piece = rest.readSlice(length: rest.readableBytes / (parts - index))!
            context.write(wrapOutboundOut(.body(.byteBuffer(piece))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !request.keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
