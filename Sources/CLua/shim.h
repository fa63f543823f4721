// The C side of kubelua's Lua bridge: wrappers for the macros Swift cannot import, the
// allocator that enforces a per-state memory cap, the count hook that enforces the instruction
// budget and deadline, and the trampoline through which Swift functions raise or yield.
// Everything that may longjmp lives here, so no Lua error ever unwinds a Swift frame.
#ifndef KUBELUA_CLUA_SHIM_H
#define KUBELUA_CLUA_SHIM_H

#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

// MARK: - Macros Swift cannot import

static inline int kl_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int kl_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline void kl_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void kl_newtable(lua_State *L) { lua_newtable(L); }
static inline int kl_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}
static inline int kl_isnoneornil(lua_State *L, int idx) { return lua_isnoneornil(L, idx); }
static inline lua_State *kl_tothread(lua_State *L, int idx) { return lua_tothread(L, idx); }

// MARK: - Per-state runtime record

enum {
    KL_KILL_NONE = 0,
    KL_KILL_BUDGET = 1,
    KL_KILL_DEADLINE = 2,
};

/// A cap on the memory of several states together (`LuaMemoryPool`): each state's allocator
/// adds its growth to `used` before allocating, so two states cannot both pass `limit`.
/// `used` is changed only with the atomic builtins (states run on different threads).
typedef struct kl_pool {
    size_t used;  // bytes all states of the pool hold
    size_t limit; // never 0
} kl_pool;

static inline size_t kl_pool_used(kl_pool *pool) { return __atomic_load_n(&pool->used, __ATOMIC_RELAXED); }

/// Shared by every thread of one state: the main thread's extra space points at it, and Lua
/// copies the main thread's extra space into every thread it creates.
typedef struct kl_runtime {
    // Memory.
    size_t used;       // bytes currently allocated by this state
    size_t peak;       // high-water mark of `used`
    size_t limit;      // cap applied while script code runs; 0 = none
    int enforcing;     // 1 while script code runs; 0 while the host pushes values
    int refused;       // an allocation was refused (or the host overshot the cap)
    kl_pool *pool;     // the cap on all states together; NULL = none
    // Instruction budget and deadline of the current call.
    long long budget;  // instructions allowed; 0 = unlimited
    long long counted; // instructions counted so far (in steps of `interval`)
    double deadline;   // CLOCK_MONOTONIC seconds; 0 = none
    int interval;      // instructions between two runs of the count hook
    int killed;        // KL_KILL_* once the current call is killed
    // The Swift dispatcher behind every registered Swift function.
    int (*dispatch)(lua_State *L, void *box, int continuing);
} kl_runtime;

static inline kl_runtime *kl_runtime_of(lua_State *L) {
    return *(kl_runtime **)lua_getextraspace(L);
}

static inline double kl_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

// MARK: - Allocator

// A growth that would pass the cap is refused only while script code runs; while the host
// pushes values it may overshoot, so a push from Swift never raises. The next allocation made
// by script code then fails and Lua raises its memory error inside a protected call.
static void *kl_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    kl_runtime *rt = (kl_runtime *)ud;
    size_t old = ptr ? osize : 0; // when ptr is NULL, osize is a type tag, not a size
    kl_pool *pool = rt->pool;
    if (nsize == 0) {
        free(ptr);
        rt->used -= old;
        if (pool) __atomic_fetch_sub(&pool->used, old, __ATOMIC_RELAXED);
        return NULL;
    }
    if (nsize > old && rt->limit && rt->used - old + nsize > rt->limit) {
        if (rt->enforcing) {
            rt->refused = 1;
            return NULL;
        }
        rt->refused = 1;
    }
    // The pool: the growth is reserved first and given back if refused. Only script code is
    // refused; the host may overshoot (the state's next script allocation then fails).
    size_t grown = nsize > old ? nsize - old : 0;
    if (pool && grown) {
        size_t total = __atomic_add_fetch(&pool->used, grown, __ATOMIC_RELAXED);
        if (total > pool->limit && rt->enforcing) {
            __atomic_fetch_sub(&pool->used, grown, __ATOMIC_RELAXED);
            rt->refused = 1;
            return NULL;
        }
    }
    void *block = realloc(ptr, nsize);
    if (block == NULL) {
        if (pool && grown) __atomic_fetch_sub(&pool->used, grown, __ATOMIC_RELAXED);
        if (nsize <= old) return ptr; // never fail a shrink
        rt->refused = 1;
        return NULL;
    }
    if (pool && nsize < old) __atomic_fetch_sub(&pool->used, old - nsize, __ATOMIC_RELAXED);
    rt->used = rt->used - old + nsize;
    if (rt->used > rt->peak) rt->peak = rt->used;
    return block;
}

static inline lua_State *kl_newstate(kl_runtime *rt) {
    lua_State *L = lua_newstate(kl_alloc, rt);
    if (L == NULL) return NULL;
    *(kl_runtime **)lua_getextraspace(L) = rt;
    // Handlers make short-lived garbage (each event's tables) around a small long-lived heap
    // (libraries, the script's globals): what the generational collector is for. Measured:
    // a handler call with two pods pushed costs about half what it does with the incremental one.
    lua_gc(L, LUA_GCGEN, 0, 0);
    return L;
}

// MARK: - Budget and deadline

static inline const char *kl_kill_message(int reason) {
    return reason == KL_KILL_DEADLINE ? "deadline exceeded" : "instruction budget exceeded";
}

// After a kill the hook fires on every instruction of the thread and raises again, so a
// `pcall` in the script can catch the kill once but cannot run any code after catching it.
static void kl_count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    kl_runtime *rt = kl_runtime_of(L);
    if (!rt->killed) {
        rt->counted += rt->interval;
        if (rt->budget > 0 && rt->counted > rt->budget) rt->killed = KL_KILL_BUDGET;
        else if (rt->deadline > 0 && kl_now() > rt->deadline) rt->killed = KL_KILL_DEADLINE;
    }
    if (rt->killed) {
        lua_sethook(L, kl_count_hook, LUA_MASKCOUNT, 1);
        lua_pushstring(L, kl_kill_message(rt->killed));
        lua_error(L);
    }
}

static inline void kl_install_count_hook(lua_State *L, int interval) {
    lua_sethook(L, kl_count_hook, LUA_MASKCOUNT, interval);
}

/// Called by long-running host code (the pattern matcher) between steps: returns the kill
/// reason once the budget or deadline has passed, and arms the hook so the kill sticks.
static inline int kl_check_kill(lua_State *L, long long steps) {
    kl_runtime *rt = kl_runtime_of(L);
    if (!rt->killed) {
        rt->counted += steps;
        if (rt->budget > 0 && rt->counted > rt->budget) rt->killed = KL_KILL_BUDGET;
        else if (rt->deadline > 0 && kl_now() > rt->deadline) rt->killed = KL_KILL_DEADLINE;
    }
    if (rt->killed) lua_sethook(L, kl_count_hook, LUA_MASKCOUNT, 1);
    return rt->killed;
}

// Lua function tick(steps): counts `steps` units of work done in C against the budget and
// checks the deadline; raises the kill once either has passed. Wrappers that split a long C
// loop into chunks call it between chunks.
static int kl_tick(lua_State *L) {
    int reason = kl_check_kill(L, (long long)luaL_optinteger(L, 1, 0));
    if (reason) {
        lua_pushstring(L, kl_kill_message(reason));
        return lua_error(L);
    }
    return 0;
}

static inline void kl_push_tick(lua_State *L) {
    lua_pushcfunction(L, kl_tick);
}

/// Host code that builds a result whose size a script controls asks first: returns 1 when
/// `bytes` more fit under the cap, else marks the state as over its cap and returns 0.
static inline int kl_reserve(lua_State *L, size_t bytes) {
    kl_runtime *rt = kl_runtime_of(L);
    if (rt->limit == 0 || (rt->used <= rt->limit && bytes <= rt->limit - rt->used)) return 1;
    rt->refused = 1;
    return 0;
}

// Lua function: true once the current call is killed.
static int kl_is_killed(lua_State *L) {
    lua_pushboolean(L, kl_runtime_of(L)->killed != 0);
    return 1;
}

static inline void kl_push_kill_probe(lua_State *L) {
    lua_pushcfunction(L, kl_is_killed);
}

// MARK: - Swift functions: the trampoline

enum {
    KL_RETURN_ERROR = -1, // the error object is on top of the stack
    KL_RETURN_YIELD = -2, // suspend the calling coroutine until the host completes the work
};

static int kl_continue(lua_State *L, int status, lua_KContext ctx);

// Runs the Swift side with the memory cap lifted, then raises or yields on its behalf.
static inline int kl_enter_host(lua_State *L, void *box, int continuing) {
    kl_runtime *rt = kl_runtime_of(L);
    int enforcing = rt->enforcing;
    rt->enforcing = 0;
    int result = rt->dispatch(L, box, continuing);
    rt->enforcing = enforcing;
    if (result == KL_RETURN_YIELD)
        return lua_yieldk(L, 0, (lua_KContext)box, kl_continue);
    if (result == KL_RETURN_ERROR)
        return lua_error(L);
    if (enforcing && rt->limit && rt->used > rt->limit) {
        rt->refused = 1;
        lua_pushliteral(L, "not enough memory");
        return lua_error(L);
    }
    return result;
}

static int kl_continue(lua_State *L, int status, lua_KContext ctx) {
    (void)status;
    return kl_enter_host(L, (void *)ctx, 1);
}

static int kl_trampoline(lua_State *L) {
    return kl_enter_host(L, lua_touserdata(L, lua_upvalueindex(1)), 0);
}

/// Pops `upvalues` values and pushes a Lua function that calls the Swift function behind `box`
/// with them as its upvalues 2...
static inline void kl_push_host_function(lua_State *L, void *box, int upvalues) {
    lua_pushlightuserdata(L, box);
    lua_rotate(L, -(upvalues + 1), 1);
    lua_pushcclosure(L, kl_trampoline, upvalues + 1);
}

// MARK: - Protected helpers the host calls through lua_pcall

// Message handler: appends a traceback. It never calls script code (no __tostring), so a
// hostile error object cannot hurt it.
static int kl_message_handler(lua_State *L) {
    const char *message = lua_tostring(L, 1);
    if (message == NULL)
        message = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    luaL_traceback(L, L, message, 1);
    return 1;
}

static inline void kl_push_message_handler(lua_State *L) {
    lua_pushcfunction(L, kl_message_handler);
}

// Arguments: a thread that ended with an error, and that error's message (a string).
static int kl_thread_traceback(lua_State *L) {
    lua_State *thread = lua_tothread(L, 1);
    luaL_traceback(L, thread, lua_tostring(L, 2), 0);
    return 1;
}

static inline void kl_push_thread_traceback(lua_State *L) {
    lua_pushcfunction(L, kl_thread_traceback);
}

// Arguments: a value and a key; returns value[key], metamethods included.
static int kl_index(lua_State *L) {
    lua_gettable(L, 1);
    return 1;
}

static inline void kl_push_index(lua_State *L) {
    lua_pushcfunction(L, kl_index);
}

// Counts `kilobytes` held outside Lua's heap on Lua's behalf as if Lua had allocated them, so
// the collector frees the values that hold them as soon as it would have had they been Lua's.
static inline void kl_gc_external(lua_State *L, int kilobytes) {
    lua_gc(L, LUA_GCSTEP, kilobytes);
}

// A full collection; no script code runs in it (scripts cannot set finalizers).
static inline void kl_gc_collect(lua_State *L) {
    lua_gc(L, LUA_GCCOLLECT);
}

// Arguments: a table and a key; the base library's `next`, except that a stand-in table
// (decoded on demand, see LuaLazyJSON) is decoded first. Upvalue 1 is the stand-ins' lazy mark
// (their `__metatable`), upvalue 2 the host function that decodes one. Every `next` a script
// can reach is this one, so no iteration can see a stand-in before it is decoded.
static int kl_decoding_next(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_getmetatable(L, 1)) {
        lua_pushliteral(L, "__metatable");
        lua_rawget(L, -2);
        int is_stand_in = lua_rawequal(L, -1, lua_upvalueindex(1));
        lua_settop(L, 2);
        if (is_stand_in) {
            lua_pushvalue(L, lua_upvalueindex(2));
            lua_pushvalue(L, 1);
            lua_call(L, 1, 0);
        }
    }
    if (lua_next(L, 1))
        return 2;
    lua_pushnil(L);
    return 1;
}

/// Pops the lazy mark and the decoding function, pushes the decoding `next`.
static inline void kl_push_decoding_next(lua_State *L) {
    lua_pushcclosure(L, kl_decoding_next, 2);
}

static int kl_open_libraries(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 1);
    lua_settop(L, 0);
    return 0;
}

static inline void kl_push_library_opener(lua_State *L) {
    lua_pushcfunction(L, kl_open_libraries);
}

#endif
