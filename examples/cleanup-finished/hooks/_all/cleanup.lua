-- Deletes the pods of Jobs that succeeded, once they finished long enough ago (a Job's pods
-- otherwise stay until the Job is deleted or its TTL runs out).
--
-- The minimum age is CLEANUP_MIN_AGE_SECONDS (pass it with `--pass-env CLEANUP_MIN_AGE_SECONDS`),
-- one hour by default. The delete carries the pod's UID, so a pod recreated under the same name
-- in the meantime is never deleted by mistake (the API answers 409 Conflict instead).
-- A pod not old enough yet gets a timer for the moment it is; timers live in memory, so after a
-- restart the initial adds set them again.

local min_age = tonumber(os.getenv("CLEANUP_MIN_AGE_SECONDS") or "") or 3600
local deleting = {} -- uid → true while our delete is under way

-- Seconds since 1970 of an RFC 3339 UTC time ("2024-05-14T12:40:36Z"), by the civil calendar.
local function epoch(text)
  local y, m, d, hh, mm, ss = (text or ""):match("^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)")
  if not y then return nil end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m <= 2 then y = y - 1 end
  local era = y // 400
  local year_of_era = y - era * 400
  local day_of_year = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
  local day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
  local days = era * 146097 + day_of_era - 719468
  return days * 86400 + tonumber(hh) * 3600 + tonumber(mm) * 60 + tonumber(ss)
end

local function job_of(pod)
  for _, ref in ipairs(pod.metadata.ownerReferences or {}) do
    if ref.kind == "Job" then return ref.name end
  end
end

-- When the last container finished, or nil while any is still running.
local function finished_at(pod)
  local latest
  for _, status in ipairs(pod.status and pod.status.containerStatuses or {}) do
    local done = status.state and status.state.terminated and epoch(status.state.terminated.finishedAt)
    if not done then return nil end
    if not latest or done > latest then latest = done end
  end
  return latest
end

local function consider(pod)
  if pod.status == nil or pod.status.phase ~= "Succeeded" or deleting[pod.metadata.uid] then return end
  local job = job_of(pod)
  local finished = finished_at(pod)
  if not job or not finished then return end
  local age = os.time() - finished
  if age < min_age then
    log.info("not old enough yet: a timer is set", { job = job, seconds = min_age - age })
    return timer.after(pod, min_age - age)
  end
  deleting[pod.metadata.uid] = true
  local ok, err = kube.delete(pod)
  if ok then
    log.info("deleted a finished Job pod", { job = job })
  else
    deleting[pod.metadata.uid] = nil
    if err.reason ~= "NotFound" then log.warn("could not delete a finished Job pod", { job = job, error = tostring(err) }) end
  end
end

function on_add(pod) consider(pod) end
function on_update(old, new) consider(new) end
function on_timer(pod) consider(pod) end
function on_delete(pod) deleting[pod.metadata.uid] = nil end
