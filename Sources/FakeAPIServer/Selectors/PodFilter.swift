
/// What a list or watch request selects: an optional namespace plus label and field selectors.
struct PodFilter: Sendable, Equatable {
    var namespace: String?
    var labels: LabelFilter
    var fields: FieldFilter

    static let everything = PodFilter(namespace: nil, labels: LabelFilter(), fields: try! FieldFilter(parsing: ""))

    init(namespace: String?, labels: LabelFilter, fields: FieldFilter) {
        self.namespace = namespace
        self.labels = labels
        self.fields = fields
    }

    init(namespace: String?, labelSelector: String?, fieldSelector: String?) throws(StatusError) {
        self.namespace = namespace
        labels = try LabelFilter(parsing: labelSelector ?? "")
        fields = try FieldFilter(parsing: fieldSelector ?? "")
    }

    /// Whether counts of remaining items can be reported (the real server omits
    /// `remainingItemCount` when selectors are used).
    var hasSelectors: Bool { !labels.isEmpty || !fields.isEmpty }

    func matches(_ pod: StoredPod) -> Bool {
        (namespace == nil || namespace == pod.namespace) && labels.matches(pod.labels) && fields.matches(pod.fields)
    }
}
