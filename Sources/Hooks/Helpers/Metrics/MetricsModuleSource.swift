/// The `metrics` module's Lua side: metric objects whose methods call the host's `record`, and
/// errors raised at the script's line (the declaring call, or the update).
let metricsModuleSource = #"""
local declare, record = ...
local error, type, ipairs = error, type, ipairs
local metrics = {}

local function metric(kind, methods, name, labels, buckets)
  local id, e = declare(kind, name, labels, buckets)
  if not id then error(e, 3) end
  local object = {}
  for _, method in ipairs(methods) do
    object[method] = function(self, values, amount)
      if self ~= object then error("metrics: call " .. method .. " with ':' (m:" .. method .. "(...))", 2) end
      -- m:inc(2) on a metric without labels.
      if type(values) == "number" and amount == nil then values, amount = nil, values end
      local ok, e2 = record(id, method, values, amount)
      if not ok then error(e2, 2) end
    end
  end
  return object
end

function metrics.counter(name, labels)
  local m = metric("counter", { "inc" }, name, labels)
  return m
end

function metrics.gauge(name, labels)
  local m = metric("gauge", { "set", "inc", "dec" }, name, labels)
  return m
end

function metrics.histogram(name, labels, buckets)
  local m = metric("histogram", { "observe" }, name, labels, buckets)
  return m
end

return metrics
"""#
