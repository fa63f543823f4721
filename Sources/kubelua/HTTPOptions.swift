import ArgumentParser
import AsyncHTTPClient
import Hooks

/// What the hooks' `http` helper may reach.
struct HTTPOptions: ParsableArguments {
    @Option(
        name: .customLong("http-allow"),
        help: "A host hooks may reach with http (repeatable): name, *.domain, host:port. Loopback, link-local and cloud metadata addresses are refused unless named.")
    var allowedHosts: [String] = []

    /// The helper, and the client to shut down afterwards. With `disabledWithoutAllowList`
    /// (replay) an empty list disables http; otherwise it allows every host but the refused ones.
    func helper(disabledWithoutAllowList: Bool) throws -> (HTTPHelper, HTTPClient?) {
        if allowedHosts.isEmpty && disabledWithoutAllowList { return (HTTPHelper(policy: .disabled, client: nil), nil) }
        let policy: HTTPHelperPolicy
        do {
            policy = try HTTPHelperPolicy(allowing: allowedHosts)
        } catch {
            throw ValidationError("--http-allow: \(error)")
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .hookHelper)
        return (HTTPHelper(policy: policy, client: client), client)
    }
}
