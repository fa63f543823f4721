/// The benchmark could not measure what it set out to (a hook failed, events went missing).
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
