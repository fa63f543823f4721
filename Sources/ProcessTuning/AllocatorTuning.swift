#if canImport(Glibc)
import Foundation
import Glibc
#endif

/// Process-wide allocator settings for a long-running kubelua process; executables call
/// `apply` first thing (the library never does it behind their back).
///
/// Two glibc settings, both measured with kubelua-bench (see BENCHMARKS.md):
/// - at most two arenas: glibc gives each thread that contends for the heap an arena of its
///   own, and memory freed in one is not reused by another; with pods decoded on the network
///   threads and released on the Lua threads that held tens of MB nothing used;
/// - a deeper per-thread cache of freed small blocks (`tcache_count`): each handler call makes
///   and frees hundreds of small Lua tables and strings; with glibc's default of 7 blocks per
///   size most of them went through the locked allocator. Not deeper than 100: what a thread's
///   cache holds counts as in use, `malloc_trim` cannot return it, and each cached block keeps
///   its page resident wherever it lies in the heap, so a cache of 1,000 blocks per size (up to
///   1 KiB each, which is also the size of a projected pod's block) kept pages all over the heap
///   after a burst.
public enum AllocatorTuning {
    static let tunables = "glibc.malloc.arena_max=2:glibc.malloc.tcache_count=100"

    /// glibc reads its tunables only when a process starts, so the first call re-executes the
    /// program with them in `GLIBC_TUNABLES` (same arguments, same PID). Malloc settings the
    /// environment already makes are left alone; if the re-execution fails the program goes on
    /// with two arenas only.
    public static func apply() {
        #if canImport(Glibc)
        let current = ProcessInfo.processInfo.environment["GLIBC_TUNABLES"] ?? ""
        guard !current.contains("glibc.malloc.") else { return }
        setenv("GLIBC_TUNABLES", current.isEmpty ? tunables : current + ":" + tunables, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Still here: the re-execution failed.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let arenaMaximum: Int32 = -8 // M_ARENA_MAX
        if let mallopt = function("mallopt", as: Mallopt.self) { _ = mallopt(arenaMaximum, 2) }
        #endif
    }

    /// Gives the heap's free pages back to the system. After the first sync the allocator keeps
    /// what the list pages, the initial adds and the hooks' garbage used: measured, RSS went
    /// from 145 to 101 MB (10k pods, 5 hooks). Takes a few milliseconds; call it after bursts.
    @Sendable public static func releaseFreeMemory() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        guard let trim = function("malloc_trim", as: Trim.self) else { return }
        _ = trim(0)
        #endif
    }

    #if canImport(Glibc)
    /// A glibc function from <malloc.h>, which the Glibc module does not export.
    private static func function<Function>(_ name: String, as type: Function.Type) -> Function? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
    }
    #endif
}
