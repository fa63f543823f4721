-- Durations as kubectl and Go print them: "42s", "3m7s", "2h0m5s".

local duration = {}

function duration.format(seconds)
  -- Pods' timestamps have whole seconds. Clock skew between the API server and a node can put
  -- a container's start a moment before the pod's creation: show that as no time at all.
  seconds = math.max(0, math.floor(seconds + 0.5))
  local hours, minutes, rest = seconds // 3600, seconds % 3600 // 60, seconds % 60
  if hours > 0 then return ("%dh%dm%ds"):format(hours, minutes, rest) end
  if minutes > 0 then return ("%dm%ds"):format(minutes, rest) end
  return ("%ds"):format(rest)
end

-- The time from `from` to `to` (seconds since the epoch), or "?" when either is unknown.
function duration.between(from, to)
  if from == nil or to == nil then return "?" end
  return duration.format(to - from)
end

return duration
