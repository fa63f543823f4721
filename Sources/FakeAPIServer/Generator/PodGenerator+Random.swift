/// The generator's randomness: seeded, so every run gives the same pods.
extension PodGenerator {
    /// SplitMix64: tiny, fast and good enough to vary fixtures.
    struct Random {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func int(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(next() % UInt64(range.count))
        }

        mutating func chance(_ probability: Double) -> Bool {
            Double(next() >> 11) / Double(1 << 53) < probability
        }

        mutating func pick<T>(_ items: [T]) -> T {
            items[int(0...(items.count - 1))]
        }

        mutating func hex(_ count: Int) -> String {
            let digits = Array("0123456789abcdef")
            return String((0..<count).map { _ in digits[int(0...15)] })
        }

        mutating func alnum(_ count: Int) -> String {
            let letters = Array("bcdfghjklmnpqrstvwxz2456789")
            return String((0..<count).map { _ in letters[int(0...(letters.count - 1))] })
        }

        mutating func uuid() -> String {
            "\(hex(8))-\(hex(4))-4\(hex(3))-\(pick(["8", "9", "a", "b"]))\(hex(3))-\(hex(12))"
        }

        mutating func timestamp(day: Int) -> String {
            let pad = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
            return "2024-\(pad(1 + day / 28 % 12))-\(pad(1 + day % 28))T\(pad(int(0...23))):\(pad(int(0...59))):\(pad(int(0...59)))Z"
        }
    }
}
