import ArgumentParser
import Foundation
import Hooks
import Kube

/// `kubelua rbac`: the least-privilege RBAC for what the hooks do while replaying recordings.
struct RBACCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rbac",
        abstract: "Print the least-privilege RBAC the hooks need, as YAML to apply: list and watch on pods, plus a rule per kind of kube call they make.",
        discussion: """
            Replays FILE... offline as `kubelua replay` does and records every kube call the hooks \
            make. Grants list and watch on pods for each namespace folder (a Role in that namespace) \
            or for _all (a ClusterRole), plus one rule per kind of call made: in the hook's own \
            namespace for hooks of a namespace folder, cluster-wide for _all hooks and for the reads \
            --allow-cluster-read opens. A call outside its hook's namespace is refused as in `run` \
            and gets no rule; a line on standard error says which hook tried what. What the hooks \
            print and the ACTION lines go to standard error too. With no FILE, only the pod rules are \
            printed: replay recordings that make the hooks act, so their calls are seen.
            """
    )

    @OptionGroup var hooks: HooksOptions
    @OptionGroup var cacheOptions: CacheOptions

    @Option(name: .customLong("objects"), help: "Objects kube.get and kube.list read while replaying (repeatable).")
    var objectFiles: [String] = []

    @Option(help: "The name of the Roles, ClusterRole and bindings.")
    var name = "kubelua"

    @Option(help: "The ServiceAccount bound, as NAMESPACE/NAME.")
    var serviceAccount = "kubelua/kubelua"

    @Option(help: ArgumentHelp(
        "Where `run` keeps the hooks' state in ConfigMaps (its --state-namespace): granted get, list, create, update and patch on configmaps there (default: the ServiceAccount's namespace).",
        valueName: "namespace"))
    var stateNamespace: String?

    @Flag(help: "Add what `run --leader-elect` needs: get, create, update, list and delete on leases in the Lease's namespace (list and delete: the member Leases of --shards).")
    var leaderElect = false

    @Option(help: ArgumentHelp(
        "The namespace of the Lease (run's --leader-election-namespace; default: the ServiceAccount's namespace).", valueName: "namespace"))
    var leaderElectionNamespace: String?

    @Argument(help: "Recorded events to replay.")
    var files: [String] = []

    func validate() throws {
        let parts = serviceAccount.split(separator: "/")
        guard parts.count == 2, parts.allSatisfy({ PodQuery.isNamespaceName(String($0)) }) else {
            throw ValidationError("--service-account takes NAMESPACE/NAME, e.g. kubelua/kubelua")
        }
        if leaderElectionNamespace != nil && !leaderElect {
            throw ValidationError("--leader-election-namespace takes effect only with --leader-elect")
        }
    }

    func run() async throws {
        let failures = FailureLog()
        let cache = cacheOptions.cache()
        let plan: HookRBAC
        do {
            let (kube, backend) = KubeHelper.offline(
                cache: cache, objects: try ReplayObjects(files: objectFiles), clusterReads: Set(hooks.clusterReads),
                reportRefusal: HooksOptions.reportRefusal, printAction: writeError)
            let http = HTTPHelper(policy: .disabled("http is not available while computing RBAC"), client: nil)
            let clock = VirtualClock()
            var environment = hooks.printingEnvironment(http: http, kube: kube, failures: failures, clock: clock)
            environment.log = { writeError($0.text) }
            let runtime = HookRuntime(root: hooks.directory, environment: environment, cache: cache)
            try await HookReplay.run(files: files, runtime: runtime)
            guard let layout = await runtime.layout else { throw ExitCode(1) }
            let accountNamespace = serviceAccount.split(separator: "/").first.map(String.init)
            plan = HookRBAC(
                layout: layout, calls: await backend.calls, stateNamespace: stateNamespace ?? accountNamespace,
                leaseNamespace: leaderElect ? leaderElectionNamespace ?? accountNamespace : nil)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            writeError("\(error)")
            throw ExitCode(1)
        }
        let account = serviceAccount.split(separator: "/").map(String.init)
        FileHandle.standardOutput.write(Data(plan.yaml(name: name, serviceAccount: (account[0], account[1])).utf8))
        if !failures.all.isEmpty { throw ExitCode(1) }
    }
}
