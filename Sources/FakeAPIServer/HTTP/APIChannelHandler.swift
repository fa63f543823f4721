import NIOCore
import NIOHTTP1

/// One connection's requests: collects each request, logs it, picks its fault, and answers
/// it, with a full reply or a `WatchStream`. HTTP/1.1 keep-alive and pipelining are handled by
/// NIO's server pipeline handler ahead of this one, which holds the next request back until
/// the current response has ended.
final class APIChannelHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let core: ServerCore
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    var watch: WatchStream?

    init(core: ServerCore) {
        self.core = core
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            self.head = nil
            handle(APIRequest(head: head, body: body), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        watch?.cancel()
        watch = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        core.logger.debug("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func handle(_ request: APIRequest, context: ChannelHandlerContext) {
        let route = Route(path: request.path)
        let isWatch = request.flag("watch")
        let kind = route.kind(method: request.method, isWatch: isWatch)
        let page = kind == .list ? Self.page(of: request) : nil
        let auth = core.authenticate(request.headers)
        let info = RequestInfo(method: request.method.rawValue, path: request.path, isWatch: isWatch,
                               fieldSelector: request.query("fieldSelector"))
        let policy = core.access.withLock { $0 }
        let refusal = auth == .rejected ? nil : policy?.refusal(info)
        let token = request.bearerToken
        if let token { core.channels.note(context.channel, client: token) }
        let fault = core.faults.take(kind: kind ?? .other, page: page, request: info, bearerToken: token,
                                     eligible: auth != .rejected && refusal == nil)
        let recorded = core.log.record({ sequence, ordinal in
            RecordedRequest(sequence: sequence, ordinal: ordinal, kind: kind ?? .other, page: page,
                            method: request.method.rawValue, path: request.path, query: request.query,
                            headers: request.headers.map { ($0.name, $0.name.lowercased() == "authorization" ? "<redacted>" : $0.value) },
                            auth: auth, fault: fault, refusal: refusal?.message)
        }, kind: kind ?? .other)
        core.logger.debug("request", metadata: [
            "n": .stringConvertible(recorded.sequence), "method": "\(request.method.rawValue)", "uri": "\(request.path)",
            "kind": "\(recorded.kind)", "fault": "\(fault.map { "\($0)" } ?? "-")",
        ])
        if auth == .rejected { return send(.error(.unauthorized), request, context: context) }
        if let refusal { return send(.error(refusal), request, context: context) }
        guard kind != nil else { return send(.error(.methodNotAllowed(request.method.rawValue)), request, context: context) }

        let plan = FaultPlan(fault, request: info, user: policy?.user ?? AccessPolicy.defaultUser)
        if plan.delay > .zero {
            context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(plan.delay)) {
                self.respond(request, route: route, isWatch: isWatch, plan: plan, context: context)
            }
        } else {
            respond(request, route: route, isWatch: isWatch, plan: plan, context: context)
        }
    }

    private func respond(_ request: APIRequest, route: Route, isWatch: Bool, plan: FaultPlan, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        switch plan.replacement {
        case .status(let status)?:
            send(.error(status), request, plan: plan, context: context)
        case .errorEvent(let status)?:
            context.write(wrapOutboundOut(.head(streamingHead(version: request.version))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(EventLine.error(status)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .hang?:
            // Headers, then silence until someone closes the connection.
            context.writeAndFlush(wrapOutboundOut(.head(streamingHead(version: request.version))), promise: nil)
        case nil where isWatch && request.method == .GET:
            startWatch(request, route: route, plan: plan, context: context)
        case nil:
            let address = "\(core.configuration.host):\(context.channel.localAddress?.port ?? 0)"
            send(Responder(core: core, serverAddress: address, omissions: core.configuration.omittedMetadata).reply(route, request), request, plan: plan, context: context)
        }
    }

    /// Page N of a list: 1 without `continue`, else the page the token names.
    private static func page(of request: APIRequest) -> Int {
        guard let text = request.query("continue"), !text.isEmpty else { return 1 }
        return (try? ContinueToken(decoding: text))?.page ?? 2
    }
}
