-- The classic observer: says what happens to every pod in the namespace.

local function owner(pod)
  local refs = pod.metadata.ownerReferences
  if refs and refs[1] then
    return refs[1].kind, refs[1].name
  end
end

local function phase(pod)
  return pod.status and pod.status.phase or "Unknown"
end

function on_add(pod, ctx)
  local kind, name = owner(pod)
  if kind then
    print(("Pod <%s> was added by %s <%s>."):format(pod.metadata.name, kind, name))
  else
    print(("Pod <%s> was added."):format(pod.metadata.name))
  end
end

function on_update(old, new, ctx)
  local before, after = phase(old), phase(new)
  if before == after then
    print(("Pod <%s> is %s phase."):format(new.metadata.name, after))
  else
    print(("Pod <%s> is %s phase. previous: %s phase"):format(new.metadata.name, after, before))
  end
end

function on_delete(pod, ctx)
  print(("Pod <%s> was deleted."):format(pod.metadata.name))
end
