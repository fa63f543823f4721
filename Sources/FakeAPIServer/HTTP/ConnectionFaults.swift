import NIOCore

/// Abrupt connection endings.
enum ConnectionFaults {
    /// TCP reset: SO_LINGER 0, then close. The close starts below the TLS handler (named
    /// "tls" in the pipeline) so no close_notify goes out first.
    static func reset(_ context: ChannelHandlerContext) {
        context.flush()
        let closer = (try? context.pipeline.syncOperations.context(name: "tls")) ?? context
        guard let provider = context.channel as? SocketOptionProvider else {
            closer.close(promise: nil)
            return
        }
        provider.setSoLinger(NIOLinger(l_onoff: 1, l_linger: 0)).hop(to: context.eventLoop).assumeIsolated().whenComplete { _ in
            closer.close(promise: nil)
        }
    }
}
