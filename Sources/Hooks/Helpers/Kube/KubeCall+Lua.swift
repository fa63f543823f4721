import Kube
import Lua

extension KubeCall {
    /// Reads the request table the `kube` module's Lua side builds (its arguments are checked
    /// there already); the body, a Lua table, becomes JSON within the script's limits.
    init(request arguments: LuaArguments, hook: String) throws {
        let request = try arguments.value(at: 1)
        guard let verbName = request["verb"].text, let verb = Verb(rawValue: verbName),
            let apiVersion = request["apiVersion"].text, let kind = request["kind"].text
        else { throw LuaRaisedError("kube: malformed request") }
        self.init(verb: verb, apiVersion: apiVersion, kind: kind, namespace: request["namespace"].text, name: request["name"].text, hook: hook)
        uid = request["uid"].text
        labelSelector = request["labels"].text
        fieldSelector = request["fields"].text
        limit = request["limit"].integer
        fieldManager = request["field_manager"].text
        gracePeriodSeconds = request["grace_period"].integer
        propagationPolicy = request["propagation"].text
        patchType = request["patch_type"].text.flatMap(PatchType.init(rawValue:))
        body = try arguments.encodeJSON(field: "body", ofTableAt: 1, for: "kube.\(verb == .create ? "create" : "patch")")
    }
}

extension KubeObjectRef {
    /// Reads the ref table the Lua side makes (`ref_of`).
    init(refTable ref: LuaValue) throws {
        guard let apiVersion = ref["apiVersion"].text, let kind = ref["kind"].text, let name = ref["name"].text else {
            throw LuaRaisedError("kube: malformed ref")
        }
        self.init(apiVersion: apiVersion, kind: kind, namespace: ref["namespace"].text, name: name, uid: ref["uid"].text)
    }
}

extension LuaValue {
    /// The number as an integer when it has one.
    var integer: Int? {
        switch self {
        case .integer(let value): Int(exactly: value)
        case .number(let value): Int(exactly: value)
        default: nil
        }
    }
}
