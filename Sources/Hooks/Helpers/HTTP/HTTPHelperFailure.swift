/// Why a request produced no response: the `err` of `nil, err`. Never carries the request's
/// body or headers, which may hold credentials.
struct HTTPHelperFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
