/// One request as a script asked for it, validated: the arguments are read while the script
/// waits, the request runs later, off the Lua thread.
struct HTTPHelperRequest: Sendable {
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    var method: String
    /// The URL as written; parsed (and possibly refused) when the request runs, so a bad URL
    /// from data answers `nil, err` instead of raising.
    var url: String
    /// Header names and values as given, in the script's order (sorted, Lua tables have none).
    var headers: [(name: String, value: String)]
    var body: [UInt8]?
    /// Seconds, as the script gave them; nil for the policy's default.
    var timeout: Double?

    /// Headers the helper sets itself: `Host` names the checked host, and the framing headers
    /// follow the body actually sent.
    static let ownedHeaders: Set<String> = ["host", "content-length", "transfer-encoding"]
}
