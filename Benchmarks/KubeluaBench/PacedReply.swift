/// The child's reply to `wait` or `stop` after `pace`.
struct PacedReply {
    var lastVersion: Int
    var sent: Int
    var seconds: Double
    var stampToPublishMedian: Double
    var stampToPublishMax: Double

    init(_ fields: [Substring]) throws {
        guard fields.count == 5, let last = Int(fields[0]), let sent = Int(fields[1]), let seconds = Double(fields[2]),
              let median = Double(fields[3]), let max = Double(fields[4]) else {
            throw ServerProcessError(command: "wait", problem: "unexpected reply \(fields)")
        }
        lastVersion = last
        self.sent = sent
        self.seconds = seconds
        stampToPublishMedian = median / 1e6
        stampToPublishMax = max / 1e6
    }
}
