-- Time as the pods themselves tell it. Hooks have no timer, and `kubelua replay` must print the
-- same lines every run, so these hooks do not read os.time(): "now" is the latest write to a pod
-- they have seen (managedFields[].time, set by the API server on every change).

local timestamps = {}

-- Days in the months before each month of a common year.
local DAYS_BEFORE_MONTH = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 }

local function is_leap(year)
  return year % 4 == 0 and (year % 100 ~= 0 or year % 400 == 0)
end

-- Leap days from year 1 through `year` (proleptic Gregorian calendar).
local function leap_days_through(year)
  return year // 4 - year // 100 + year // 400
end

-- Seconds since 1970-01-01 UTC of an RFC 3339 time in UTC ("2024-05-14T10:00:03Z", the form the
-- API server writes; fractions are dropped), or nil for anything else.
-- Not os.time{...}: it reads its table as local time, which depends on the machine.
function timestamps.parse(text)
  if type(text) ~= "string" then return nil end
  local year, month, day, hour, minute, second =
    text:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)T(%d%d):(%d%d):(%d%d)%.?%d*Z$")
  if not year then return nil end
  year, month, day = tonumber(year), tonumber(month), tonumber(day)
  if month < 1 or month > 12 then return nil end
  local days = (year - 1970) * 365 + leap_days_through(year - 1) - leap_days_through(1969)
    + DAYS_BEFORE_MONTH[month] + day - 1
  if month > 2 and is_leap(year) then days = days + 1 end
  return days * 86400 + tonumber(hour) * 3600 + tonumber(minute) * 60 + tonumber(second)
end

-- The time of the pod's latest write, in seconds, or nil when it has no managedFields.
function timestamps.last_write(pod)
  local latest
  for _, entry in ipairs(pod.metadata.managedFields or {}) do
    local at = timestamps.parse(entry.time)
    if at and (latest == nil or at > latest) then latest = at end
  end
  return latest
end

-- "42s", "3m7s", "2h0m5s", as kubectl and Go print durations.
function timestamps.duration(seconds)
  seconds = math.max(0, seconds)
  local hours, minutes, rest = seconds // 3600, seconds % 3600 // 60, seconds % 60
  if hours > 0 then return ("%dh%dm%ds"):format(hours, minutes, rest) end
  if minutes > 0 then return ("%dm%ds"):format(minutes, rest) end
  return ("%ds"):format(rest)
end

return timestamps
