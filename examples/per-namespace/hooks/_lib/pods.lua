-- Readers of pod objects shared by the hooks in this folder.

local pods = {}

-- "namespace/name", the way kubectl and kubelua's logs name a pod.
function pods.ref(pod)
  return pod.metadata.namespace .. "/" .. pod.metadata.name
end

function pods.phase(pod)
  return pod.status and pod.status.phase or "Unknown"
end

-- "Kind/name" of the pod's controller (ReplicaSet, Job...), else its first owner, else "none".
function pods.owner(pod)
  local refs = pod.metadata.ownerReferences or {}
  for _, ref in ipairs(refs) do
    if ref.controller then return ref.kind .. "/" .. ref.name end
  end
  return refs[1] and (refs[1].kind .. "/" .. refs[1].name) or "none"
end

-- The statuses of the pod's containers (init containers excluded); empty before it is scheduled.
function pods.containers(pod)
  return pod.status and pod.status.containerStatuses or {}
end

-- Restarts of all containers together, and the container that restarted most (nil if none has).
function pods.restarts(pod)
  local total, most = 0, nil
  for _, container in ipairs(pods.containers(pod)) do
    total = total + container.restartCount
    if container.restartCount > 0 and (most == nil or container.restartCount > most.restartCount) then
      most = container
    end
  end
  return total, most
end

return pods
