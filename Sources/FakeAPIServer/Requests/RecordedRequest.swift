/// One request as the server saw it, for tests to inspect. The `Authorization` header is kept
/// with its value replaced by `<redacted>`; `auth` says whether it was accepted.
public struct RecordedRequest: Sendable {
    /// 1-based position among all requests.
    public var sequence: Int
    /// 1-based position among requests of the same `kind` (the third watch has ordinal 3).
    public var ordinal: Int
    public var kind: RequestKind
    /// For lists: 1 for a fresh list, N for the request holding page N's continue token.
    public var page: Int?
    public var method: String
    public var path: String
    public var query: [QueryItem]
    public var headers: [(name: String, value: String)]
    public var auth: AuthOutcome
    /// The fault applied to this request, if any.
    public var fault: FaultAction?
    /// The Forbidden message when the access policy refused the request.
    public var refusal: String?

    public struct QueryItem: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    /// The first value of a query parameter.
    public func query(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
