-- RFC 3339 timestamps, as Kubernetes writes them ("2024-05-14T10:00:03Z", sometimes with a
-- fraction or an offset), to seconds since 1970-01-01 UTC.
-- Not os.time{...}: it reads its table as local time, so results would depend on the machine.

local rfc3339 = {}

-- Days in the months before each month of a common year.
local DAYS_BEFORE_MONTH = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 }

local function is_leap(year)
  return year % 4 == 0 and (year % 100 ~= 0 or year % 400 == 0)
end

-- Leap days from year 1 through `year` (proleptic Gregorian calendar).
local function leap_days_through(year)
  return year // 4 - year // 100 + year // 400
end

local function days_since_epoch(year, month, day)
  local days = (year - 1970) * 365 + leap_days_through(year - 1) - leap_days_through(1969)
  days = days + DAYS_BEFORE_MONTH[month] + day - 1
  if month > 2 and is_leap(year) then days = days + 1 end
  return days
end

-- Seconds since the epoch (an integer unless the text has a fraction), or nil when `text` is
-- not an RFC 3339 date-time.
function rfc3339.parse(text)
  if type(text) ~= "string" then return nil end
  local year, month, day, hour, minute, second, rest =
    text:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)[Tt ](%d%d):(%d%d):(%d%d)(.*)$")
  if not year then return nil end
  year, month, day = tonumber(year), tonumber(month), tonumber(day)
  hour, minute, second = tonumber(hour), tonumber(minute), tonumber(second)
  if month < 1 or month > 12 or day < 1 or day > 31 or hour > 23 or minute > 59 or second > 60 then
    return nil
  end

  local fraction = 0
  local digits, zone = rest:match("^%.(%d+)(.*)$")
  if digits then fraction, rest = tonumber("0." .. digits), zone end

  local offset
  if rest == "Z" or rest == "z" then
    offset = 0
  else
    local sign, offset_hours, offset_minutes = rest:match("^([+-])(%d%d):(%d%d)$")
    if not sign then return nil end
    offset = (tonumber(offset_hours) * 60 + tonumber(offset_minutes)) * 60
    if sign == "-" then offset = -offset end
  end

  local seconds = days_since_epoch(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
  return fraction > 0 and seconds + fraction or seconds
end

return rfc3339
