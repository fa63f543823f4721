-- Logs every phase change in namespace "default" and puts a Warning Event on a pod that
-- fails, so `kubectl describe pod` and `kubectl get events` show that kubelua saw it.

function on_phase(pod, from, to, ctx)
  log.info("phase changed", {from = from or "none", to = to})
  if to ~= "Failed" then return end
  local ok, err = kube.event(pod, {type = "Warning", reason = "PodFailed",
                                   message = ("kubelua saw %s fail (was %s)"):format(ctx.name, from or "new")})
  if not ok then log.warn("could not post the event", {error = tostring(err)}) end
end
