import Foundation
import ProcessTuning
import Testing

/// The default of `--total-memory-limit` comes from the cgroup's memory limit: v2's
/// `memory.max`, else v1's `memory.limit_in_bytes`; "no limit" in either is none.
@Suite struct CgroupMemoryTests {
    static func root(_ files: [String: String]) throws -> String {
        let root = NSTemporaryDirectory() + "kubelua-cgroup-" + UUID().uuidString
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func readsTheLimitOfEitherVersionAndTakesNoLimitAsNone() throws {
        #expect(CgroupMemory.limit(root: try Self.root(["memory.max": "268435456\n"])) == 268_435_456)
        #expect(CgroupMemory.limit(root: try Self.root(["memory.max": "max\n"])) == nil)
        #expect(CgroupMemory.limit(root: try Self.root(["memory/memory.limit_in_bytes": "536870912\n"])) == 536_870_912)
        #expect(CgroupMemory.limit(root: try Self.root(["memory/memory.limit_in_bytes": "9223372036854771712\n"])) == nil)
        #expect(CgroupMemory.limit(root: try Self.root([:])) == nil)
    }
}
