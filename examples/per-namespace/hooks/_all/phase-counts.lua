-- Counts the pods of every watched namespace per phase and logs the counts when they change.
-- The initial list (ctx.initial) is counted without a line per pod; the first change after it
-- logs the totals.

local pods = require("pods")

-- Deliberately global, this hook's memory between events: phase -> number of pods, and
-- uid -> the phase the pod is counted under.
counts = {}
counted_as = {}

-- Moves the pod to `phase` (nil: removes it); true when the counts changed.
local function count(uid, phase)
  local before = counted_as[uid]
  if before == phase then return false end
  if before then
    counts[before] = counts[before] - 1
    if counts[before] == 0 then counts[before] = nil end
  end
  if phase then counts[phase] = (counts[phase] or 0) + 1 end
  counted_as[uid] = phase
  return true
end

local function report(ctx)
  -- log sorts fields by key, so the line is the same whatever order pairs() takes.
  local fields, total = {}, 0
  for phase, n in pairs(counts) do
    fields[phase] = n
    total = total + n
  end
  fields.total = total
  log.info(("pods per phase after %s %s/%s"):format(ctx.event, ctx.namespace, ctx.name), fields)
end

function on_add(pod, ctx)
  if count(pod.metadata.uid, pods.phase(pod)) and not ctx.initial then report(ctx) end
end

function on_update(old, new, ctx)
  if count(new.metadata.uid, pods.phase(new)) then report(ctx) end
end

function on_delete(pod, ctx)
  if count(pod.metadata.uid, nil) then report(ctx) end
end
