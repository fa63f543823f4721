import ServiceLifecycle

extension PodInformer {
    /// The informer as a service: watches `queries` until graceful shutdown (or cancellation),
    /// then stops every watch.
    public struct Watching: Service {
        public let informer: PodInformer
        public let queries: [PodQuery]

        public init(_ informer: PodInformer, queries: [PodQuery]) {
            self.informer = informer
            self.queries = queries
        }

        public func run() async {
            await informer.watch(queries)
            try? await gracefulShutdown()
            await informer.stop()
        }
    }
}
