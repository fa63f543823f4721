-- Staging fills up with finished Job pods. This hook names the Succeeded ones that finished
-- more than MAX_AGE ago, as "would delete" lines: a dry run to review before deleting for real.

local pods = require("pods")
local timestamps = require("timestamps")

local MAX_AGE = 60 * 60 -- seconds

-- What this hook reads of each pod. managedFields are named: kubelua drops them from pods unless
-- a hook's reads name them (or `run --keep-managed-fields`), and "now" comes from them.
hook = { reads = { "metadata.namespace", "metadata.ownerReferences", "metadata.managedFields", "status" } }

-- Deliberately global, this hook's memory between events:
-- uid -> { ref, namespace, name, owner, finished (seconds), reported } for each Succeeded pod,
finished_pods = {}
-- and the latest write seen on any pod of the namespace: the hook's "now" (see _lib/timestamps).
now = nil

-- When the pod's last container finished, in seconds; nil if the status does not say.
local function finished_at(pod)
  local latest
  for _, container in ipairs(pods.containers(pod)) do
    local terminated = container.state and container.state.terminated
    local at = terminated and timestamps.parse(terminated.finishedAt)
    if at and (latest == nil or at > latest) then latest = at end
  end
  return latest
end

-- Moves "now" forward to the pod's latest write.
local function advance_clock(pod)
  local written = timestamps.last_write(pod)
  if written and (now == nil or written > now) then now = written end
end

-- Starts tracking a pod that has succeeded.
local function track(pod)
  local uid = pod.metadata.uid
  if pods.phase(pod) ~= "Succeeded" or finished_pods[uid] then return end
  local finished = finished_at(pod)
  if finished then
    finished_pods[uid] = {
      ref = pods.ref(pod), namespace = pod.metadata.namespace, name = pod.metadata.name,
      owner = pods.owner(pod), finished = finished,
    }
  end
end

-- Reports the pods that are now old enough, by name: pairs() has no fixed order.
local function sweep()
  local due = {}
  for _, entry in pairs(finished_pods) do
    if not entry.reported and now and now - entry.finished > MAX_AGE then due[#due + 1] = entry end
  end
  table.sort(due, function(a, b) return a.ref < b.ref end)
  for _, entry in ipairs(due) do
    entry.reported = true
    log.info("would delete " .. entry.ref, {
      finished = timestamps.duration(now - entry.finished) .. " ago",
      owner = entry.owner,
      run = ("kubectl delete pod -n %s %s"):format(entry.namespace, entry.name),
    })
  end
end

function on_add(pod, ctx)
  advance_clock(pod)
  track(pod)
  sweep()
end

function on_update(old, new, ctx)
  advance_clock(new)
  track(new)
  sweep()
end

function on_delete(pod, ctx)
  advance_clock(pod)
  finished_pods[pod.metadata.uid] = nil
  sweep()
end
