-- Warns when a production pod's containers have restarted more than MAX_RESTARTS times in all:
-- once, when the count goes past it. A pod already past it when kubelua starts is reported then.
-- No state needed: the old and new pod of an update tell whether this update crossed the line.

local pods = require("pods")

local MAX_RESTARTS = 3

local function alert(pod)
  local total, container = pods.restarts(pod)
  local last_exit = container.lastState and container.lastState.terminated
  log.warn(("%s restarted %d times"):format(pods.ref(pod), total), {
    container = container.name,
    owner = pods.owner(pod),
    -- Why the container stopped last time (Error, OOMKilled...), with its exit code.
    last_exit = last_exit and ("%s (%s)"):format(last_exit.reason or "?", last_exit.exitCode),
  })
end

function on_add(pod, ctx)
  if pods.restarts(pod) > MAX_RESTARTS then alert(pod) end
end

function on_update(old, new, ctx)
  if pods.restarts(old) <= MAX_RESTARTS and pods.restarts(new) > MAX_RESTARTS then alert(new) end
end
