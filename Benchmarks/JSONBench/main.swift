import CLua
import FakeAPIServer
import Foundation
import Lua

// json-bench: decode and encode throughput of kubelua's JSON bridge on realistic pod documents,
// next to lua5.4 + lua-cjson decoding the same bytes. Times are process CPU time (what Lua's
// os.clock measures), best of several rounds, after a warm-up.
//
// Usage: json-bench [--count N] [--pool P] [--rounds R]

struct JSONBench {
    var count = 20_000
    var poolSize = 300
    var rounds = 3

    init(arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard let value = iterator.next().flatMap({ Int($0) }), value > 0 else { Self.usage() }
            switch argument {
            case "--count": count = value
            case "--pool": poolSize = value
            case "--rounds": rounds = value
            default: Self.usage()
            }
        }
    }

    static func usage() -> Never {
        print("usage: json-bench [--count N] [--pool P] [--rounds R]")
        exit(2)
    }

    func run() throws(LuaJSONError) {
        let fixture = PodGenerator()
        let documents = (0..<poolSize).map { fixture.bytes($0) }
        // Raw copies, so the timed loop measures the decoder and not array access.
        let pool = documents.map { document -> UnsafeRawBufferPointer in
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: document.count, alignment: 8)
            document.withUnsafeBytes { copy.copyMemory(from: $0) }
            return UnsafeRawBufferPointer(copy)
        }
        defer { pool.forEach { $0.deallocate() } }
        let decodedBytes = (0..<count).reduce(0) { $0 + pool[$1 % poolSize].count }

        // A state as the runtime makes them: the capped allocator, with the cap lifted while the
        // host pushes values, and the memory check consulted as in production.
        let runtime = UnsafeMutablePointer<kl_runtime>.allocate(capacity: 1)
        runtime.initialize(to: kl_runtime())
        runtime.pointee.limit = 512 << 20
        let L = kl_newstate(runtime)!
        defer {
            lua_close(L)
            runtime.deallocate()
        }
        LuaJSON.installArrayMetatable(L)
        let limits = LuaJSONLimits(isOverMemory: { runtime.pointee.used > runtime.pointee.limit })

        func decodeAll(_ n: Int) throws(LuaJSONError) {
            for i in 0..<n {
                try LuaJSON.push(pool[i % poolSize], onto: L, limits: limits)
                lua_settop(L, -2)
            }
        }

        try decodeAll(poolSize) // warm-up
        let decodeSeconds = try best { () throws(LuaJSONError) in try decodeAll(count) }

        // Encode: every pool document decoded once, kept in one table, encoded round robin.
        lua_createtable(L, Int32(poolSize), 0)
        for (i, document) in pool.enumerated() {
            try LuaJSON.push(document, onto: L, limits: limits)
            lua_rawseti(L, 1, Int64(i + 1))
        }
        var encodedBytes = 0
        let encodeSeconds = try best { () throws(LuaJSONError) in
            encodedBytes = 0
            for i in 0..<count {
                lua_rawgeti(L, 1, Int64(i % poolSize + 1))
                encodedBytes += try LuaJSON.encode(L, at: -1).count
                lua_settop(L, -2)
            }
        }
        lua_settop(L, 0)

        let reference = CJSONReference.run(documents: documents, count: count, rounds: rounds)
        report(
            decode: (decodeSeconds, decodedBytes), encode: (encodeSeconds, encodedBytes),
            average: decodedBytes / count, peakLuaMemory: runtime.pointee.peak, reference: reference)
    }

    func best(_ body: () throws(LuaJSONError) -> Void) throws(LuaJSONError) -> Double {
        var fastest = Double.infinity
        for _ in 0..<rounds {
            let start = Self.cpuSeconds()
            try body()
            fastest = min(fastest, Self.cpuSeconds() - start)
        }
        return fastest
    }

    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    func report(
        decode: (seconds: Double, bytes: Int), encode: (seconds: Double, bytes: Int),
        average: Int, peakLuaMemory: Int, reference: CJSONReference.Outcome
    ) {
        print("json-bench: \(count) pod documents (pool of \(poolSize), average \(average) bytes), best of \(rounds) rounds, CPU time")
        print("")
        print("                               MB/s        pods/s     seconds")
        let ours = (decode: row("kubelua decode", decode), encode: row("kubelua encode", encode))
        var json: [String: Any] = [
            "docs": count, "pool": poolSize, "average_bytes": average, "rounds": rounds,
            "kubelua_decode_mb_s": Self.round(ours.decode.mbps, 1), "kubelua_decode_pods_s": Int(ours.decode.perSecond),
            "kubelua_encode_mb_s": Self.round(ours.encode.mbps, 1), "kubelua_encode_pods_s": Int(ours.encode.perSecond),
            "kubelua_peak_lua_bytes": peakLuaMemory,
        ]
        switch reference {
        case .measured(let figures):
            let theirs = (decode: row("lua5.4 + cjson decode", (figures.decode_seconds, figures.decode_bytes)),
                          encode: row("lua5.4 + cjson encode", (figures.encode_seconds, figures.encode_bytes)))
            let decodeRatio = ours.decode.perSecond / theirs.decode.perSecond
            let encodeRatio = ours.encode.perSecond / theirs.encode.perSecond
            print("")
            print("kubelua / cjson: decode \(String(format: "%.2f", decodeRatio))x, encode \(String(format: "%.2f", encodeRatio))x (pods/s)")
            json["reference"] = "lua5.4 + lua-cjson \(figures.cjson)"
            json["cjson_decode_mb_s"] = Self.round(theirs.decode.mbps, 1)
            json["cjson_decode_pods_s"] = Int(theirs.decode.perSecond)
            json["cjson_encode_mb_s"] = Self.round(theirs.encode.mbps, 1)
            json["cjson_encode_pods_s"] = Int(theirs.encode.perSecond)
            json["decode_ratio"] = Self.round(decodeRatio, 2)
            json["encode_ratio"] = Self.round(encodeRatio, 2)
        case .unavailable(let why):
            print("")
            print("reference not measured: \(why); kubelua figures only")
            json["reference"] = NSNull()
            json["reference_missing"] = why
        }
        let line = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data()
        print(String(decoding: line, as: UTF8.self))
    }

    func row(_ label: String, _ figures: (seconds: Double, bytes: Int)) -> (mbps: Double, perSecond: Double) {
        let mbps = Double(figures.bytes) / 1e6 / figures.seconds
        let perSecond = Double(count) / figures.seconds
        let name = label.padding(toLength: 24, withPad: " ", startingAt: 0)
        print("\(name) \(String(format: "%9.1f", mbps)) \(String(format: "%13.0f", perSecond)) \(String(format: "%11.3f", figures.seconds))")
        return (mbps, perSecond)
    }

    static func round(_ x: Double, _ places: Int) -> Double {
        let scale = pow(10.0, Double(places))
        return (x * scale).rounded() / scale
    }
}

do {
    try JSONBench(arguments: Array(CommandLine.arguments.dropFirst())).run()
} catch {
    print("json-bench failed: \(error)")
    exit(1)
}
