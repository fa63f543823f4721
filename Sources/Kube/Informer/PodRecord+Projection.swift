import JSONBytes

extension PodRecord {
    /// The pod as `projection` keeps it: what it drops is cut out of the JSON and the index, in
    /// a new block of exactly the size left. A pod with nothing to cut, or whose JSON cannot be
    /// walked, is returned as it is.
    public func projected(by projection: JSONProjection) -> PodRecord {
        guard !projection.keepsEverything else { return self }
        let cuts = json.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer, index: index)
            return try? cursor.cuts(by: projection)
        }
        guard let cuts, !cuts.isEmpty else { return self }
        return PodRecord(key: key, uid: uid, resourceVersion: resourceVersion, phase: phase, json: json.removing(cuts))
    }
}
