-- Acts on the cluster: a pod whose container crash-loops gets a Warning Event (visible with
-- `kubectl describe pod`) and the label kubelua.io/crash-looping=true, once per pod.

local handled = {} -- uid → true

function on_update(old, pod)
  if handled[pod.metadata.uid] then return end
  for _, status in ipairs(pod.status and pod.status.containerStatuses or {}) do
    local waiting = status.state and status.state.waiting
    if waiting and waiting.reason == "CrashLoopBackOff" then
      handled[pod.metadata.uid] = true
      local event, err = kube.event(pod, {
        type = "Warning", reason = "CrashLoopBackOff",
        message = ("container %s keeps crashing (%d restarts)"):format(status.name, status.restartCount or 0),
      })
      local labelled, err2 = kube.label(pod, { ["kubelua.io/crash-looping"] = "true" })
      if event and labelled then
        print(("Pod <%s> crash-loops: posted a Warning Event and labelled it kubelua.io/crash-looping=true."):format(pod.metadata.name))
      else
        print(("Pod <%s> crash-loops, but acting failed: %s"):format(pod.metadata.name, tostring(err or err2)))
      end
      return
    end
  end
end

function on_delete(pod) handled[pod.metadata.uid] = nil end
