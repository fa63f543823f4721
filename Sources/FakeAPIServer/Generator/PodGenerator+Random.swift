/// The generator's randomness: seeded, so every run gives the same pods.
extension PodGenerator {
    struct Random {
        var source: SeededRandom

        init(state: UInt64) {
            source = SeededRandom(seed: state)
        }

        mutating func next() -> UInt64 {
            source.next()
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
