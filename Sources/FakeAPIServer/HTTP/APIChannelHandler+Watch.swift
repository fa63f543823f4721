import NIOCore
import NIOHTTP1

/// Starting a watch: its parameters from the query, then a `WatchStream`.
extension APIChannelHandler {
    func startWatch(_ request: APIRequest, route: Route, plan: FaultPlan, context: ChannelHandlerContext) {
        let parameters: WatchStream.Parameters
        do {
            parameters = try watchParameters(request, route: route)
        } catch {
            return send(.error(error), request, context: context)
        }
        let stream = WatchStream(context: context, store: core.store, plan: plan) { [weak self] in
            self?.watch = nil
        }
        if let reply = stream.start(parameters) {
            return send(reply, request, plan: plan, context: context)
        }
        if !stream.finished { watch = stream }
    }

    func watchParameters(_ request: APIRequest, route: Route) throws(StatusError) -> WatchStream.Parameters {
        guard case .collection(let namespace) = route else { throw .methodNotAllowed("WATCH") }
        if let match = request.query("resourceVersionMatch"), !match.isEmpty {
            throw .invalid("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch")
        }
        var timeout = core.configuration.defaultWatchTimeout
        if let text = request.query("timeoutSeconds"), !text.isEmpty {
            guard let seconds = Int(text), seconds >= 0 else { throw .badRequest("invalid timeoutSeconds: \(text)") }
            if seconds > 0 { timeout = .seconds(seconds) }
        }
        return WatchStream.Parameters(
            filter: try PodFilter(namespace: namespace, labelSelector: request.query("labelSelector"),
                                  fieldSelector: request.query("fieldSelector")),
            resourceVersion: request.query("resourceVersion"), timeout: timeout,
            bookmarks: request.flag("allowWatchBookmarks"), bookmarkInterval: core.configuration.bookmarkInterval,
            version: request.version, omissions: core.configuration.omittedMetadata)
    }
}
