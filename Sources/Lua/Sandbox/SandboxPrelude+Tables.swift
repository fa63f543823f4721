/// The part of the sandbox prelude that wraps the table library (spliced into `sandboxPrelude`).
///
/// Table functions loop in C over a range or a length the script controls, calling metamethods
/// on every slot, which may be C functions the count hook never sees (`__index = tostring`). So
/// ranges are capped at `huge_span` slots and worked through `chunk_span` slots at a time, with
/// the budget (each slot counts as one instruction) and the deadline checked between chunks;
/// a `__len` is read once per call (it may answer differently each time); and `table.sort`
/// compares through a Lua function, since comparing two long strings in C takes long.
let sandboxTableFunctions = #"""
local huge_span, chunk_span = 1 << 24, 1 << 12
local tick, tointeger, tonumber, maxinteger = host.tick, math.tointeger, tonumber, math.maxinteger
local raw_move, raw_concat, raw_insert = table.move, table.concat, table.insert
local raw_remove, raw_sort = table.remove, table.sort

-- An integer argument as the table library reads it (numbers and numeric strings), or nil.
local function integer_argument(v)
  if type(v) == "string" then v = tonumber(v) end
  if type(v) == "number" then return tointeger(v) end
  return nil
end

-- The length of a table argument, read once.
local function sequence_length(t, name)
  local n = integer_argument(#t)
  if n == nil then error("object length is not an integer") end
  if n - raw_rawlen(t) > huge_span then error("bad argument #1 to '" .. name .. "' (length too large)") end
  return n
end

local function move(a1, f, e, t, a2)
  local fi, ei, ti = integer_argument(f), integer_argument(e), integer_argument(t)
  if not (fi and ei and ti) or ei < fi then return raw_move(a1, f, e, t, a2) end
  if (ei + 0.0) - fi >= huge_span then error("bad argument #3 to 'move' (range too large)") end
  if ei - fi < chunk_span then return raw_move(a1, fi, ei, ti, a2) end
  if ti > maxinteger - (ei - fi) then error("bad argument #4 to 'move' (destination wrap around)") end
  -- Overlapping moves to higher slots of one table go backwards, as Lua's own does.
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
table.move = wrap("move", move)

table.concat = wrap("concat", function(list, sep, i, j)
  local from = i == nil and 1 or integer_argument(i)
  if type(list) ~= "table" or from == nil or (j ~= nil and integer_argument(j) == nil) then
    return raw_concat(list, sep, i, j)
  end
  local to = integer_argument(j == nil and #list or j)
  if to == nil then error("object length is not an integer") end
  if to < from or to - from < chunk_span then return raw_concat(list, sep, from, to) end
  if (to + 0.0) - from >= huge_span then error("bad argument #4 to 'concat' (range too large)") end
  local parts = {}
  for s = from, to, chunk_span do
    local stop = to - s < chunk_span and to or s + chunk_span - 1
    parts[#parts + 1] = raw_concat(list, sep, s, stop)
    tick(stop - s + 1)
  end
  return raw_concat(parts, sep)
end)

local insert = wrap("insert", function(t, ...)
  if type(t) ~= "table" or select("#", ...) ~= 2 then return raw_insert(t, ...) end
  local pos, value = ...
  local e = sequence_length(t, "insert") + 1
  local p = integer_argument(pos)
  if p == nil then return raw_insert(t, pos, value) end
  if p < 1 or p > e then error("bad argument #2 to 'insert' (position out of bounds)") end
  if p < e then move(t, p, e - 1, p + 1) end
  t[p] = value
end)
-- Appending to, or popping from, a table without a metatable reads its length once and loops
-- nowhere: the common cases go straight to Lua's own functions.
table.insert = function(t, ...)
  if type(t) == "table" and select("#", ...) == 1 and raw_getmetatable(t) == nil then return raw_insert(t, ...) end
  return insert(t, ...)
end

local remove = wrap("remove", function(t, pos)
  if type(t) ~= "table" then return raw_remove(t, pos) end
  local size = sequence_length(t, "remove")
  local p = size
  if pos ~= nil then p = integer_argument(pos) end
  if p == nil then return raw_remove(t, pos) end
  if p ~= size and (p < 1 or p > size + 1) then
    error("bad argument #1 to 'remove' (position out of bounds)") -- #1, as Lua 5.4.4 says
  end
  local removed = t[p]
  if p < size then
    move(t, p + 1, size, p)
    p = size
  end
  t[p] = nil
  return removed
end)
table.remove = function(t, ...)
  if type(t) == "table" and select("#", ...) == 0 and raw_getmetatable(t) == nil then return raw_remove(t) end
  return remove(t, ...)
end

-- A table with a metatable is sorted through a plain copy, so its metamethods run in chunks.
local function less_than(a, b) return a < b end
table.sort = wrap("sort", function(t, comp)
  if type(t) ~= "table" or (comp ~= nil and type(comp) ~= "function") then return raw_sort(t, comp) end
  local order = less_than
  if comp ~= nil then order = function(a, b) return comp(a, b) end end
  local n = sequence_length(t, "sort")
  if raw_getmetatable(t) == nil then return raw_sort(t, order) end
  local plain = n > 0 and move(t, 1, n, 1, {}) or {}
  raw_sort(plain, order)
  if n > 0 then move(plain, 1, n, 1, t) end
end)

"""#
