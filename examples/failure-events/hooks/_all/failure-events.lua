-- Makes failures visible where people look: a pod that crash-loops or whose container was
-- OOM-killed gets a Warning Event (`kubectl describe pod`, `kubectl get events`) and an
-- annotation saying why, once per pod and reason. kubelua aggregates repeated Events itself,
-- but there is no point in asking twice.

local reported = {} -- uid → { reason → true }

local function failure(pod)
  for _, status in ipairs(pod.status and pod.status.containerStatuses or {}) do
    local waiting = status.state and status.state.waiting
    if waiting and waiting.reason == "CrashLoopBackOff" then
      return "CrashLoopBackOff", ("container %s keeps crashing (%d restarts)"):format(status.name, status.restartCount or 0)
    end
    local last = status.lastState and status.lastState.terminated
    if last and last.reason == "OOMKilled" then
      return "OOMKilled", ("container %s ran out of memory (exit code %d)"):format(status.name, last.exitCode or 137)
    end
  end
end

local function check(pod)
  local reason, message = failure(pod)
  if not reason then return end
  local seen = reported[pod.metadata.uid] or {}
  reported[pod.metadata.uid] = seen
  if seen[reason] then return end
  seen[reason] = true
  local _, err = kube.event(pod, { type = "Warning", reason = reason, message = message })
  if err then log.warn("could not post the Event", { reason = reason, error = tostring(err) }) end
  local _, err2 = kube.annotate(pod, { ["kubelua.io/last-failure"] = reason })
  if err2 then log.warn("could not annotate the pod", { reason = reason, error = tostring(err2) }) end
  print(("%s/%s: %s"):format(pod.metadata.namespace, pod.metadata.name, message))
end

function on_add(pod) check(pod) end
function on_update(old, new) check(new) end
function on_delete(pod) reported[pod.metadata.uid] = nil end
