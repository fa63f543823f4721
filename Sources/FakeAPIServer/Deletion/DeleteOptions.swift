/// A DELETE's `DeleteOptions`, from the body (as kubectl and client-go send them) or from the
/// query (`gracePeriodSeconds`, `propagationPolicy`, `dryRun`); the body wins.
struct DeleteOptions {
    struct Preconditions {
        var uid: String?
        var resourceVersion: String?
    }

    var preconditions = Preconditions()
    var gracePeriodSeconds: Int?
    /// As requested (nil: the resource's default).
    var propagationPolicy: String?
    var dryRun = false

    static let policies = ["Background", "Foreground", "Orphan"]

    init() {}

    init(_ request: APIRequest) throws(StatusError) {
        if let text = request.query("gracePeriodSeconds"), !text.isEmpty {
            guard let seconds = Int(text) else { throw .badRequest("invalid gracePeriodSeconds: \(text)") }
            gracePeriodSeconds = seconds
        }
        propagationPolicy = request.query("propagationPolicy").flatMap { $0.isEmpty ? nil : $0 }
        dryRun = try DryRun.requested(request)
        if request.body.readableBytes > 0 {
            try apply(JSONCodec.decodeObject(request.body))
        }
        if let policy = propagationPolicy, !Self.policies.contains(policy) {
            throw .invalid("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")
        }
    }

    /// Fields of a `DeleteOptions` object (a DELETE body, or an Eviction's `deleteOptions`).
    mutating func apply(_ options: [String: Any]) throws(StatusError) {
        if let preconditions = options["preconditions"] as? [String: Any] {
            self.preconditions = Preconditions(uid: preconditions["uid"] as? String,
                                               resourceVersion: preconditions["resourceVersion"] as? String)
        }
        if let seconds = options["gracePeriodSeconds"] as? Int { gracePeriodSeconds = seconds }
        if let policy = options["propagationPolicy"] as? String { propagationPolicy = policy }
        if options["orphanDependents"] as? Bool == true, propagationPolicy == nil { propagationPolicy = "Orphan" }
        if let values = options["dryRun"] as? [Any] {
            dryRun = try DryRun.requested(values.compactMap { $0 as? String }) || dryRun
        }
    }
}

/// `dryRun=All`, the only value the API server knows.
enum DryRun {
    static func requested(_ values: [String]) throws(StatusError) -> Bool {
        for value in values where value != "All" {
            throw .badRequest("Invalid dry run value \"\(value)\": supported values are \"All\"")
        }
        return !values.isEmpty
    }

    static func requested(_ request: APIRequest) throws(StatusError) -> Bool {
        try requested(request.query.filter { $0.name == "dryRun" }.map(\.value))
    }
}
