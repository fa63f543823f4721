/// Where each object and array of one JSON text ends, found while framing it, so that reading
/// a few fields (an event's type, a pod's metadata and phase) can jump over the rest instead of
/// walking it again.
public struct JSONContainerIndex: Sendable, Equatable {
    /// (start, end) pairs, in order of start: positions of the opening bracket and just past
    /// the closing one.
    var pairs: [UInt32] = []

    public init() {}

    public var isEmpty: Bool { pairs.isEmpty }

    /// Just past the container whose opening bracket is at `start`, if it is indexed.
    func end(ofContainerAt start: Int) -> Int? {
        var low = 0, high = pairs.count / 2
        while low < high {
            let middle = (low + high) / 2
            let opening = Int(pairs[2 * middle])
            if opening == start { return Int(pairs[2 * middle + 1]) }
            if opening < start { low = middle + 1 } else { high = middle }
        }
        return nil
    }
}
