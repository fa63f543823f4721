#if canImport(Glibc)
import Glibc
#endif

/// Process-wide allocator settings for a long-running kubelua process; executables call this
/// first thing (the library never does it behind their back).
public enum AllocatorTuning {
    /// glibc gives each thread that contends for the heap an arena of its own (up to 8 per core)
    /// and memory freed in one arena is not reused by another: with pods decoded on the network
    /// threads and released on the Lua threads that held tens of MB of RSS no live object used.
    /// Measured with kubelua-bench (10k pods, 5 hooks): about 195 MB peak with the default,
    /// about 170 MB with two arenas; throughput drops by roughly a tenth (malloc contention),
    /// a trade worth making for a daemon that mostly idles.
    public static func apply() {
        #if canImport(Glibc)
        // `mallopt` lives in <malloc.h>, which the Glibc module does not export.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let arenaMaximum: Int32 = -8 // M_ARENA_MAX
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMaximum, 2)
        #endif
    }
}
