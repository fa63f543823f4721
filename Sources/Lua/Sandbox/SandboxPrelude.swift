/// Lua code run once in every sandboxed state, before any script: it removes what scripts may
/// not reach, wraps what they may only use carefully, and makes the libraries read-only.
/// It receives a table of host primitives as its only argument.
let sandboxPrelude = #"""
local host = ...
local G = _G
local error, type, select, tostring, next = error, type, select, tostring, next
local raw_rawset, raw_rawget, raw_rawlen = rawset, rawget, rawlen
local raw_setmetatable, raw_getmetatable, raw_load = setmetatable, getmetatable, load
local concat, pcall = table.concat, pcall

-- Tables a script may read but not change (library tables and helper modules).
local readonly = raw_setmetatable({}, { __mode = "k" })
local function protect(name, real)
  local proxy = raw_setmetatable({}, {
    __index = real,
    __newindex = function() error("attempt to modify the read-only table '" .. name .. "'", 2) end,
    -- The iterator's state is the proxy: handing out `real` would make it writable.
    __pairs = function(proxy) return function(_, k) return next(real, k) end, proxy, nil end,
    __len = function() return #real end,
    __metatable = false,
  })
  readonly[proxy] = true
  return proxy
end

-- Removed: files, processes, native code, the debug library, the collector, warnings.
for _, name in ipairs({ "dofile", "loadfile", "collectgarbage", "warn", "require", "io", "package", "debug" }) do
  G[name] = nil
end
string.dump = nil
os = { time = os.time, clock = os.clock, date = os.date, difftime = os.difftime, getenv = host.getenv }
-- A host clock (replay's virtual one) stands in for "now" where the script names no time.
if host.now then
  local real_time, real_date, now = os.time, os.date, host.now
  os.time = function(t) if t == nil then return now() end return real_time(t) end
  os.date = function(format, t) return real_date(format, t == nil and now() or t) end
end

-- Pattern functions that count their steps, so a pathological pattern cannot outlive the
-- call's budget or deadline (the count hook cannot interrupt C code).
string.find, string.match, string.gmatch, string.gsub = host.find, host.match, host.gmatch, host.gsub

-- string.rep with an empty result loops in C once per repetition.
local raw_rep = string.rep
string.rep = function(s, n, sep)
  if type(n) == "number" and (type(s) == "string" or type(s) == "number")
     and #tostring(s) == 0 and (sep == nil or #tostring(sep) == 0) then
    return ""
  end
  return raw_rep(s, n, sep)
end

-- Each wrapper runs its body under pcall and raises what failed again at the script's line,
-- naming the function as Lua's own would: without that, errors would point into this prelude.
local function raise_at_caller(name, ok, ...)
  if ok then return ... end
  local message = ...
  if type(message) ~= "string" then error(message, 0) end
  local own = message:match("^kubelua sandbox:%d+: (.*)$")
  if own then
    message = own
  elseif message:find("^[^\n]-:%d+: ") then
    error(message, 0) -- raised by the script's own code (a metamethod, a comparator): as it is
  end
  error((message:gsub("^(bad argument #%d+ to )'[^']*'", "%1'" .. name .. "'", 1)), 2)
end
local function wrap(name, body)
  return function(...) return raise_at_caller(name, pcall(body, ...)) end
end

\#(sandboxTableFunctions)
-- Text chunks only, in this script's environment. Compiling runs in C: chunks are capped at
-- max_chunk bytes, and a reader function is called from Lua (a C reader such as os.time, which
-- returns the same digits forever, would otherwise feed the parser until the memory cap).
local max_chunk = 1 << 20
local chunk_too_large = "chunk too large (more than " .. (max_chunk >> 10) .. " KiB)"
load = wrap("load", function(chunk, name, mode, env)
  if mode ~= nil and mode ~= "t" then
    return nil, "attempt to load a binary chunk (only text chunks are allowed)"
  end
  if env == nil then env = G end
  if type(chunk) == "string" and #chunk > max_chunk then return nil, chunk_too_large end
  if type(chunk) == "function" then
    local reader, size = chunk, 0
    chunk = function()
      local piece = reader()
      if type(piece) == "number" then piece = tostring(piece) end -- as load would read it
      if type(piece) == "string" then
        size = size + #piece
        if size > max_chunk then error(chunk_too_large, 0) end
      end
      return piece
    end
  end
  return raw_load(chunk, name, "t", env)
end)

-- Pod tables are decoded level by level as they are read (stand-ins, see LuaLazyJSON): what
-- reads or changes a table raw decodes it first, so no script can tell.
local lazy_mark, materialize, raw_next = host.lazy_mark, host.materialize, next
local function decoded(t)
  if raw_getmetatable(t) == lazy_mark then materialize(t) end
  return t
end
-- The table argument of a wrapped raw function, decoded; errors name the wrapped function.
local function table_argument(t, name)
  if type(t) ~= "table" then
    error("bad argument #1 to '" .. name .. "' (table expected, got " .. type(t) .. ")", 3)
  end
  return decoded(t)
end
-- `next` (and the iterator `pairs` returns for a table without __pairs) decodes stand-ins.
local decoding_next, raw_pairs = host.next, pairs
G.next = decoding_next
pairs = function(...)
  if select("#", ...) == 0 then error("bad argument #1 to 'pairs' (value expected)", 2) end
  local f, s, k = raw_pairs((...))
  if f == raw_next then f = decoding_next end
  return f, s, k
end
rawget = function(t, k) return raw_rawget(table_argument(t, "rawget"), k) end
rawlen = function(t)
  if type(t) == "string" then return #t end
  return raw_rawlen(table_argument(t, "rawlen"))
end
getmetatable = function(v) return raw_getmetatable(decoded(v)) end

-- Finalizers would run outside any budget, during collection or when the state closes.
setmetatable = function(t, mt)
  if type(mt) == "table" and raw_rawget(mt, "__gc") ~= nil then
    error("bad argument #2 to 'setmetatable' (metatables with __gc are not allowed)", 2)
  end
  return raw_setmetatable(table_argument(t, "setmetatable"), mt)
end

-- An error raised by the count hook reaches xpcall's message handler while Lua has hooks
-- switched off, so a handler that loops would never be stopped: after a kill it is skipped.
local raw_xpcall, killed = xpcall, host.killed
xpcall = function(f, handler, ...)
  if type(handler) ~= "function" then
    error("bad argument #2 to 'xpcall' (function expected, got " .. type(handler) .. ")", 2)
  end
  return raw_xpcall(f, function(m)
    if killed() then return m end
    return handler(m)
  end, ...)
end

-- require: sandboxed text modules the host finds by name, run once, in this script's globals.
if host.read_library then
  local loaded, read_library = {}, host.read_library
  require = function(name)
    if type(name) ~= "string" then
      error("bad argument #1 to 'require' (string expected, got " .. type(name) .. ")", 2)
    end
    local value = loaded[name]
    if value ~= nil then return value end
    local found, source, chunkname = pcall(read_library, name)
    if not found then error(source, 2) end
    local chunk, err = raw_load(source, chunkname, "t", G)
    if not chunk then error(err, 2) end
    value = chunk(name)
    if value == nil then value = true end
    loaded[name] = value
    return value
  end
end

-- Handler calls run in coroutines the host resumes, also while they wait on a helper: another
-- call resuming one would run its code under the waiting call's pod and limits.
local host_threads, raw_resume, raw_close = host.host_threads, coroutine.resume, coroutine.close
local function script_thread(co, verb)
  if type(co) ~= "thread" then
    error("bad argument #1 to '" .. verb .. "' (thread expected, got " .. type(co) .. ")", 3)
  end
  if host_threads[co] then
    error("cannot " .. verb .. " a coroutine run by kubelua (a handler call, maybe waiting on a helper)", 3)
  end
  return co
end
coroutine.resume = function(co, ...) return raw_resume(script_thread(co, "resume"), ...) end
coroutine.close = function(co) return raw_close(script_thread(co, "close")) end

rawset = function(t, k, v)
  if readonly[t] then error("bad argument #1 to 'rawset' (table is read-only)", 2) end
  return raw_rawset(table_argument(t, "rawset"), k, v)
end

print = function(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
  host.print(concat(parts, "\t"))
end

for _, name in ipairs({ "string", "table", "math", "utf8", "coroutine", "os" }) do
  G[name] = protect(name, G[name])
end
for name, module in pairs(host.modules) do
  G[name] = type(module) == "table" and protect(name, module) or module
end
-- Strings keep indexing the real (already wrapped) library; the metatable itself is locked.
getmetatable("").__metatable = false
"""#
