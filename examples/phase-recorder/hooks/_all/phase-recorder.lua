-- Records every pod's phase changes as structured log lines, with the time spent in the phase
-- it left, and a summary when the pod is deleted:
--   pod batch/backup-28551840-9vq2m: Pending 3s → Running 42s → Succeeded total=45s
-- Times come from the pod's own timestamps, not os.time(): durations are what the cluster saw,
-- however late kubelua receives an event, and `kubelua replay` prints the same lines every run.

local rfc3339 = require("rfc3339")
local duration = require("duration")

-- uid -> list of { phase = "Running", at = seconds or nil, stamp = text or nil }, oldest first.
-- Keyed by uid so that a pod recreated under the same name starts afresh. Deliberately global:
-- it is this hook's memory between events; a deleted pod's entry is dropped.
history = {}

local function ref(pod) return pod.metadata.namespace .. "/" .. pod.metadata.name end

local TERMINAL = { Succeeded = true, Failed = true }

-- Of two timestamps (text; either may be nil), the earlier one, or the later with `later`.
local function pick(a, b, later)
  if a == nil or b == nil then return a or b end
  local b_is_earlier = rfc3339.parse(b) < rfc3339.parse(a)
  if later then return b_is_earlier and a or b end
  return b_is_earlier and b or a
end

-- The earliest start and the latest finish of the pod's containers (init containers excluded:
-- they run while the pod is Pending), as timestamp text; either may be nil.
local function container_times(pod)
  local first_start, last_finish
  for _, container in ipairs(pod.status and pod.status.containerStatuses or {}) do
    local state, last = container.state or {}, container.lastState or {}
    -- After a restart `state` holds the latest run; `lastState` may hold an earlier start.
    for _, run in ipairs({ state.running or {}, state.terminated or {}, last.terminated or {} }) do
      first_start = pick(first_start, run.startedAt)
    end
    last_finish = pick(last_finish, state.terminated and state.terminated.finishedAt, true)
  end
  return first_start, last_finish
end

-- The latest change of any condition: a fallback when containers tell nothing (a pod evicted
-- or failed before its containers started).
local function last_condition_change(pod)
  local latest
  for _, condition in ipairs(pod.status and pod.status.conditions or {}) do
    latest = pick(latest, condition.lastTransitionTime, true)
  end
  return latest
end

-- When the pod entered `phase`, as its status tells: the timestamp text, or nil.
local function entered(pod, phase)
  if phase == "Pending" then return pod.metadata.creationTimestamp end
  local first_start, last_finish = container_times(pod)
  if phase == "Running" then return first_start or pod.status.startTime end
  if TERMINAL[phase] then return last_finish or last_condition_change(pod) end
  return nil -- Unknown: the node stopped reporting; its status has no time for that.
end

local function entry(pod, phase)
  local stamp = entered(pod, phase)
  return { phase = phase, at = rfc3339.parse(stamp), stamp = stamp }
end

-- The phases of a pod seen first after its start (kubelua started later, or this hook was
-- reloaded): every pod starts Pending at its creation, and `from` is known from the event.
local function reconstructed(pod, from, to)
  local phases = {}
  for _, phase in ipairs({ "Pending", from }) do
    local last = phases[#phases]
    if phase ~= to and (last == nil or last.phase ~= phase) then phases[#phases + 1] = entry(pod, phase) end
  end
  return phases
end

function on_phase(pod, from, to, ctx)
  local uid = pod.metadata.uid
  local phases = history[uid] or reconstructed(pod, from, to)
  history[uid] = phases
  local previous, current = phases[#phases], entry(pod, to)
  phases[#phases + 1] = current
  log.info("phase changed", {
    pod = ref(pod),
    from = previous and previous.phase,
    to = to,
    at = current.stamp or "?",
    -- How long the pod was in the phase it left.
    took = previous and duration.between(previous.at, current.at),
  })
end

function on_delete(pod, ctx)
  local uid = pod.metadata.uid
  local phases = history[uid]
  history[uid] = nil
  if not phases then return end -- it never had a phase
  local steps = {}
  for i, step in ipairs(phases) do
    local next_step = phases[i + 1]
    steps[i] = next_step and (step.phase .. " " .. duration.between(step.at, next_step.at)) or step.phase
  end
  local last = phases[#phases]
  if not TERMINAL[last.phase] then steps[#steps + 1] = "deleted" end
  log.info(("pod %s: %s"):format(ref(pod), table.concat(steps, " → ")), {
    total = TERMINAL[last.phase] and duration.between(phases[1].at, last.at) or nil,
    -- Deleted while kubelua was not watching: the last state seen may be stale.
    tombstone = ctx.tombstone or nil,
  })
end
