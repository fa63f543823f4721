/// The `kube` module's Lua side: argument checking with errors that name the argument, refs
/// from pod tables, patches for labels and annotations, and `err` objects. It runs once per
/// state, before the sandbox is applied, and gets the host's primitives (`pod`, `pods`, `call`,
/// `event`) and `json.null`.
let kubeModuleSource = #"""
local host, null = ...
local type, tostring, error, setmetatable, pairs, select, format, concat =
  type, tostring, error, setmetatable, pairs, select, string.format, table.concat
local kube = {}

local failure = {
  __tostring = function(e)
    return format("%s%s: %s", e.reason, e.status ~= 0 and format(" (%d)", e.status) or "", e.message)
  end,
}

-- A host answer: the object, or nil and an err table.
local function answer(value, status, reason, message)
  if value ~= nil then return value end
  return nil, setmetatable({ status = status, reason = reason, message = message }, failure)
end

-- Argument checks return an error message (nil when fine); each kube function raises it at
-- its caller's line, so errors point at the script.
local function bad(fname, what, message)
  return format("bad argument %s to 'kube.%s' (%s)", what, fname, message)
end

local function want(value, expected, fname, what, optional)
  if value == nil and optional then return end
  if type(value) ~= expected then return bad(fname, what, expected .. " expected, got " .. type(value)) end
end

-- Option tables: only known keys, each of its type.
local function options(t, fname, what, known)
  if t == nil then return {} end
  local e = want(t, "table", fname, what)
  if e then return nil, e end
  for key, value in pairs(t) do
    local expected = known[key]
    if not expected then return nil, bad(fname, what, "unknown option '" .. tostring(key) .. "'") end
    if type(value) ~= expected then
      return nil, bad(fname, what, format("option '%s': %s expected, got %s", key, expected, type(value)))
    end
  end
  return t
end

local function one_of(value, allowed, fname, what)
  if value == nil then return end
  for _, v in pairs(allowed) do if v == value then return end end
  return bad(fname, what, format("'%s' is not one of %s", tostring(value), concat(allowed, ", ")))
end

-- The first error message among the checks, raised at the line that called the kube function
-- (`level` frames above the function that calls this).
local function raise_first(level, ...)
  for i = 1, select("#", ...) do
    local e = select(i, ...)
    if e then error(e, level + 1) end
  end
end

-- A ref: an object a handler received or read (its metadata names it, its uid guards writes),
-- or {apiVersion=, kind=, namespace=, name=[, uid=]}.
local function ref_of(ref, fname)
  local e = want(ref, "table", fname, "#1 'ref'")
  if e then return nil, e end
  local meta = ref.metadata
  if type(meta) == "table" then
    local name = meta.name
    if type(name) ~= "string" then return nil, bad(fname, "#1 'ref'", "the object has no metadata.name") end
    return { apiVersion = ref.apiVersion or "v1", kind = ref.kind or "Pod", namespace = meta.namespace, name = name, uid = meta.uid }
  end
  e = want(ref.apiVersion, "string", fname, "'apiVersion' of #1") or want(ref.kind, "string", fname, "'kind' of #1")
    or want(ref.name, "string", fname, "'name' of #1") or want(ref.namespace, "string", fname, "'namespace' of #1", true)
    or want(ref.uid, "string", fname, "'uid' of #1", true)
  if e then return nil, e end
  return { apiVersion = ref.apiVersion, kind = ref.kind, namespace = ref.namespace, name = ref.name, uid = ref.uid }
end

local function call(request) return answer(host.call(request)) end

function kube.pod(namespace, name)
  raise_first(2, want(namespace, "string", "pod", "#1 'namespace'"), want(name, "string", "pod", "#2 'name'"))
  local pod, e = host.pod(namespace, name)
  if pod == false then error(e, 2) end
  return pod
end

function kube.pods(query)
  local q, e = options(query, "pods", "#1", { namespace = "string", labels = "string", phase = "string" })
  raise_first(2, e)
  local pods, e2 = host.pods(q.namespace, q.labels, q.phase)
  if pods == false then error(e2, 2) end
  return pods
end

function kube.get(query)
  raise_first(2, want(query, "table", "get", "#1"))
  local q, e = options(query, "get", "#1", { apiVersion = "string", kind = "string", namespace = "string", name = "string" })
  raise_first(2, e, want(q.apiVersion, "string", "get", "'apiVersion' of #1"), want(q.kind, "string", "get", "'kind' of #1"),
    want(q.name, "string", "get", "'name' of #1"))
  return call { verb = "get", apiVersion = q.apiVersion, kind = q.kind, namespace = q.namespace, name = q.name }
end

function kube.list(query)
  raise_first(2, want(query, "table", "list", "#1"))
  local q, e = options(query, "list", "#1", {
    apiVersion = "string", kind = "string", namespace = "string", labels = "string", fields = "string", limit = "number" })
  raise_first(2, e, want(q.apiVersion, "string", "list", "'apiVersion' of #1"), want(q.kind, "string", "list", "'kind' of #1"))
  return call { verb = "list", apiVersion = q.apiVersion, kind = q.kind, namespace = q.namespace,
                labels = q.labels, fields = q.fields, limit = q.limit }
end

function kube.patch(ref, patch, opts)
  local r, e = ref_of(ref, "patch")
  raise_first(2, e, want(patch, "table", "patch", "#2 'patch'"))
  local o
  o, e = options(opts, "patch", "#3", { type = "string", field_manager = "string" })
  raise_first(2, e)
  raise_first(2, one_of(o.type, { "merge", "strategic", "json" }, "patch", "'type' of #3"))
  return call { verb = "patch", apiVersion = r.apiVersion, kind = r.kind, namespace = r.namespace, name = r.name,
                body = patch, patch_type = o.type or "merge", field_manager = o.field_manager }
end

-- label and annotate: a merge patch of one metadata map; json.null removes a key.
local function metadata_patch(fname, field, ref, values)
  local r, e = ref_of(ref, fname)
  raise_first(3, e, want(values, "table", fname, "#2"))
  for key, value in pairs(values) do
    if type(key) ~= "string" then raise_first(3, bad(fname, "#2", "keys must be strings")) end
    if type(value) ~= "string" and value ~= null then
      raise_first(3, bad(fname, "#2", format("'%s': a string or json.null (to remove it) expected, got %s", key, type(value))))
    end
  end
  return call { verb = "patch", apiVersion = r.apiVersion, kind = r.kind, namespace = r.namespace, name = r.name,
                body = { metadata = { [field] = values } }, patch_type = "merge" }
end

function kube.label(ref, labels) return metadata_patch("label", "labels", ref, labels) end
function kube.annotate(ref, annotations) return metadata_patch("annotate", "annotations", ref, annotations) end

function kube.delete(ref, opts)
  local r, e = ref_of(ref, "delete")
  raise_first(2, e)
  local o
  o, e = options(opts, "delete", "#2", { grace_period = "number", propagation = "string" })
  raise_first(2, e)
  raise_first(2, one_of(o.propagation, { "Background", "Foreground", "Orphan" }, "delete", "'propagation' of #2"))
  return call { verb = "delete", apiVersion = r.apiVersion, kind = r.kind, namespace = r.namespace, name = r.name,
                uid = r.uid, grace_period = o.grace_period, propagation = o.propagation }
end

function kube.evict(pod, opts)
  local r, e = ref_of(pod, "evict")
  raise_first(2, e)
  if r.kind ~= "Pod" then raise_first(2, bad("evict", "#1", "only pods can be evicted, got a " .. tostring(r.kind))) end
  local o
  o, e = options(opts, "evict", "#2", { grace_period = "number" })
  raise_first(2, e)
  return call { verb = "evict", apiVersion = "v1", kind = "Pod", namespace = r.namespace, name = r.name, uid = r.uid,
                grace_period = o.grace_period }
end

function kube.create(object)
  raise_first(2, want(object, "table", "create", "#1 'object'"))
  raise_first(2, want(object.apiVersion, "string", "create", "'apiVersion' of #1"), want(object.kind, "string", "create", "'kind' of #1"),
    want(object.metadata, "table", "create", "'metadata' of #1"))
  return call { verb = "create", apiVersion = object.apiVersion, kind = object.kind, namespace = object.metadata.namespace, body = object }
end

function kube.event(ref, event)
  local r, e = ref_of(ref, "event")
  raise_first(2, e, want(event, "table", "event", "#2"))
  local o
  o, e = options(event, "event", "#2", { type = "string", reason = "string", message = "string", action = "string" })
  raise_first(2, e)
  raise_first(2, one_of(o.type, { "Normal", "Warning" }, "event", "'type' of #2"), want(o.reason, "string", "event", "'reason' of #2"))
  return answer(host.event(r, o.type or "Normal", o.reason, o.message or "", o.action or o.reason))
end

return kube
"""#
