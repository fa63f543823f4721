/// Lua code run once in every sandboxed state, before any script: it removes what scripts may
/// not reach, wraps what they may only use carefully, and makes the libraries read-only.
/// It receives a table of host primitives as its only argument.
let sandboxPrelude = #"""
local host = ...
local G = _G
local error, type, select, tostring, next = error, type, select, tostring, next
local raw_rawset, raw_rawget, raw_rawlen = rawset, rawget, rawlen
local raw_setmetatable, raw_getmetatable, raw_load = setmetatable, getmetatable, load
local concat, huge_span, chunk_span = table.concat, 1 << 24, 1 << 12
local tick, tointeger, tonumber = host.tick, math.tointeger, tonumber

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

-- Table functions loop in C over a range or a length the script controls, calling metamethods
-- (which may be C functions, which the count hook never sees) on every slot. Ranges are capped
-- at huge_span slots and done chunk_span slots at a time, with the budget and the deadline
-- checked between chunks (each slot counts as one instruction); a length is read once.
local raw_move, raw_insert, raw_remove, raw_sort = table.move, table.insert, table.remove, table.sort

-- An integer argument as the table library reads it (numbers and numeric strings), or nil.
local function integer_argument(v)
  if type(v) == "string" then v = tonumber(v) end
  if type(v) == "number" then return tointeger(v) end
  return nil
end

local function move(a1, f, e, t, a2)
  local fi, ei, ti = integer_argument(f), integer_argument(e), integer_argument(t)
  if not (fi and ei and ti) or ei < fi then return raw_move(a1, f, e, t, a2) end
  if (ei + 0.0) - fi >= huge_span then error("bad argument #3 to 'move' (range too large)", 2) end
  if ei - fi < chunk_span then return raw_move(a1, fi, ei, ti, a2) end
  if ti > math.maxinteger - (ei - fi) then error("bad argument #4 to 'move' (destination wrap around)", 2) end
  -- Overlapping moves to higher slots in one table go backwards, as Lua's own does.
  local backward = not (ti > ei or ti <= fi or (a2 ~= nil and a1 ~= a2))
  local first, last, step = 0, (ei - fi) // chunk_span, 1
  if backward then first, last, step = last, 0, -1 end
  local result
  for c = first, last, step do
    local s = fi + c * chunk_span
    local stop = ei - s < chunk_span and ei or s + chunk_span - 1
    result = raw_move(a1, s, stop, ti + c * chunk_span, a2)
    tick(stop - s + 1)
  end
  return result
end
table.move = move

local raw_concat = concat
table.concat = function(list, sep, i, j)
  local from = i == nil and 1 or integer_argument(i)
  if type(list) ~= "table" or from == nil or (j ~= nil and integer_argument(j) == nil) then
    return raw_concat(list, sep, i, j)
  end
  local to = integer_argument(j == nil and #list or j)
  if to == nil then error("object length is not an integer", 2) end
  if to < from or to - from < chunk_span then return raw_concat(list, sep, from, to) end
  if (to + 0.0) - from >= huge_span then error("bad argument #4 to 'concat' (range too large)", 2) end
  local parts = {}
  for s = from, to, chunk_span do
    local stop = to - s < chunk_span and to or s + chunk_span - 1
    parts[#parts + 1] = raw_concat(list, sep, s, stop)
    tick(stop - s + 1)
  end
  return raw_concat(parts, sep)
end

-- The length of a table argument, read once (a __len may answer differently each time).
local function sequence_length(t, name)
  local n = integer_argument(#t)
  if n == nil then error("object length is not an integer", 3) end
  if n - raw_rawlen(t) > huge_span then
    error("bad argument #1 to '" .. name .. "' (length too large)", 3)
  end
  return n
end

table.insert = function(t, ...)
  if type(t) ~= "table" or select("#", ...) ~= 2 then return raw_insert(t, ...) end
  local pos, value = ...
  local e = sequence_length(t, "insert") + 1
  local p = integer_argument(pos)
  if p == nil then return raw_insert(t, pos, value) end
  if p < 1 or p > e then error("bad argument #2 to 'insert' (position out of bounds)", 2) end
  if p < e then move(t, p, e - 1, p + 1) end
  t[p] = value
end

table.remove = function(t, pos)
  if type(t) ~= "table" then return raw_remove(t, pos) end
  local size = sequence_length(t, "remove")
  local p = size
  if pos ~= nil then p = integer_argument(pos) end
  if p == nil then return raw_remove(t, pos) end
  if p ~= size and (p < 1 or p > size + 1) then
    error("bad argument #1 to 'remove' (position out of bounds)", 2) -- #1, as Lua 5.4.4 says
  end
  local removed = t[p]
  if p < size then
    move(t, p + 1, size, p)
    p = size
  end
  t[p] = nil
  return removed
end

-- table.sort compares in C: with the default order, two long strings cost a full strcoll each
-- time. A Lua comparator lets the count hook run between comparisons, and a table with a
-- metatable is sorted through a plain copy so its metamethods run per slot, in chunks.
local function less_than(a, b) return a < b end
table.sort = function(t, comp)
  if type(t) ~= "table" or (comp ~= nil and type(comp) ~= "function") then return raw_sort(t, comp) end
  local order = less_than
  if comp ~= nil then order = function(a, b) return comp(a, b) end end
  local n = sequence_length(t, "sort")
  if raw_getmetatable(t) == nil then return raw_sort(t, order) end
  local plain = n > 0 and move(t, 1, n, 1, {}) or {}
  raw_sort(plain, order)
  if n > 0 then move(plain, 1, n, 1, t) end
end

-- Text chunks only, in this script's environment.
-- Compiling runs in C: chunks are capped at max_chunk bytes, and a reader function is called
-- from Lua (a C reader such as json.encode could otherwise feed the parser forever).
local max_chunk = 1 << 20
local chunk_too_large = "chunk too large (more than " .. (max_chunk >> 10) .. " KiB)"
load = function(chunk, name, mode, env)
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
end

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
pairs = function(t)
  local f, s, k = raw_pairs(t)
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
  G[name] = protect(name, module)
end
-- Strings keep indexing the real (already wrapped) library; the metatable itself is locked.
getmetatable("").__metatable = false
"""#
