import NIOCore
import NIOPosix

/// Turns a connection's bytes into parsed response parts and its ending, for `WireStream`.
final class WireReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    enum Event: Sendable {
        case part(WireParser.Part)
        case end(WireEnd)
    }

    private var parser = WireParser()
    private let events: AsyncStream<Event>.Continuation
    private var ended = false

    init(_ events: AsyncStream<Event>.Continuation) {
        self.events = events
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        for part in parser.feed(buffer.readableBytesView) {
            events.yield(.part(part))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? IOError, error.errnoCode == ECONNRESET {
            end(.reset)
        } else {
            end(.error(String(describing: error)))
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        end(parser.isComplete ? .complete : .closed)
    }

    private func end(_ how: WireEnd) {
        guard !ended else { return }
        ended = true
        events.yield(.end(how))
        events.finish()
    }
}
