-- Runs for pods in every namespace: when a container starts crash-looping, logs it and puts a
-- Warning Event on the pod, once per container and restart count.

local function looping(pod)
  local found = {}
  for _, status in ipairs(pod.status and pod.status.containerStatuses or {}) do
    local waiting = status.state and status.state.waiting
    if waiting and waiting.reason == "CrashLoopBackOff" then found[status.name] = status.restartCount end
  end
  return found
end

function on_update(old, new, ctx)
  local before = looping(old)
  for container, restarts in pairs(looping(new)) do
    if before[container] ~= restarts then
      log.warn("container crash-looping", {container = container, restarts = restarts})
      local ok, err = kube.event(new, {type = "Warning", reason = "CrashLooping",
                                       message = ("kubelua saw container %s restart %d times"):format(container, restarts)})
      if not ok then log.warn("could not post the event", {error = tostring(err)}) end
    end
  end
end
