import Kube
import Lua
import Selectors

extension LuaModule {
    /// The `kube` module of the hook `file` (see the README's "Acting on the cluster"): cache
    /// reads limited to the hook's scope, API calls that suspend only the calling handler.
    public static func kube(_ helper: KubeHelper, for file: HookFile) -> LuaModule {
        LuaModule(name: "kube") { state in
            do {
                try state.load(kubeModuleSource, chunkName: "=kubelua kube")
                pushPrimitives(helper, file: file, onto: state)
                state.pushJSONNull()
                try state.call(argumentCount: 2, resultCount: 1)
            } catch {
                // Only a state without memory for a few functions gets here; its kube is empty.
                state.newTable()
            }
        }
    }

    private static func pushPrimitives(_ helper: KubeHelper, file: HookFile, onto state: LuaState) {
        let hook = file.name, scope = file.scope
        state.newTable(fieldCapacity: 4)
        state.pushFunction(named: "kube.pod") { arguments in
            let namespace = try arguments.string(at: 1)
            if let refusal = refusal(scope, namespace, "kube.pod") { return refuse(refusal, arguments) }
            guard let pod = helper.cache.pod(PodKey(namespace: namespace, name: try arguments.string(at: 2))) else {
                arguments.pushNil()
                return 1
            }
            try push(pod, arguments)
            return 1
        }
        state.setField("pod")
        state.pushFunction(named: "kube.pods") { arguments in
            let namespace = try arguments.optionalString(at: 1) ?? scope.namespace
            if let namespace, let refusal = refusal(scope, namespace, "kube.pods") { return refuse(refusal, arguments) }
            let text = try arguments.optionalString(at: 2) ?? ""
            let labels: LabelSelector
            do throws(LabelSelectorError) {
                labels = try LabelSelector(parsing: text)
            } catch {
                return refuse("bad argument 'labels' to 'kube.pods' (\(error.message))", arguments)
            }
            let phase = try arguments.optionalString(at: 3)
            let pods = helper.cache.pods(namespace: namespace, labels: labels).filter { phase == nil || $0.phase == phase }
            arguments.pushArray(count: pods.count)
            for (position, pod) in pods.enumerated() {
                try push(pod, arguments)
                arguments.setArrayElement(position + 1)
            }
            return 1
        }
        state.setField("pods")
        state.pushSuspendingFunction(named: "kube.call") { arguments in
            let call = try KubeCall(request: arguments, hook: hook)
            let secondsLeft = arguments.secondsLeft
            return LuaSuspension { outcome(await helper.perform(call, scope: scope, secondsLeft: secondsLeft)) }
        }
        state.setField("call")
        state.pushSuspendingFunction(named: "kube.event") { arguments in
            let ref = try KubeObjectRef(refTable: arguments.value(at: 1))
            let event = KubeEventRecorder.Occurrence(
                regarding: ref, type: try arguments.string(at: 2), reason: try arguments.string(at: 3),
                message: try arguments.string(at: 4), action: try arguments.string(at: 5), hook: hook)
            let secondsLeft = arguments.secondsLeft
            return LuaSuspension { outcome(await helper.record(event, scope: scope, secondsLeft: secondsLeft)) }
        }
        state.setField("event")
    }

    private static func refusal(_ scope: HookScope, _ namespace: String, _ function: String) -> String? {
        scope.contains(namespace: namespace) ? nil : "\(function): namespace \(namespace) is outside this hook's scope (\(scope))"
    }

    /// `false, message`: the Lua side raises it at the script's line.
    private static func refuse(_ message: String, _ arguments: LuaArguments) -> Int32 {
        arguments.push(.boolean(false))
        arguments.push(message)
        return 2
    }

    /// Pushes a cached pod as the calling hook is shown it (its `view`, carried by the call).
    private static func push(_ pod: PodRecord, _ arguments: LuaArguments) throws {
        do {
            try arguments.pushLazyJSON(pod.json, index: pod.index, view: (arguments.callContext as? HookCallContext)?.view)
        } catch {
            throw LuaRaisedError("pod \(pod.key): \(error.message)")
        }
    }

    /// The values the Lua side turns into `object` or `nil, err`.
    static func outcome(_ outcome: KubeOutcome) -> LuaAsyncResult {
        switch outcome {
        case .object(let json): .json(json)
        case .failure(let failure): .values([.nil, .integer(Int64(failure.status)), .string(failure.reason), .string(failure.message)])
        }
    }
}
