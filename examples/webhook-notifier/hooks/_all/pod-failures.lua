-- Posts to a Slack-compatible webhook when a pod fails: its phase becomes Failed, a container
-- is in CrashLoopBackOff, or a container was OOMKilled. Each pod incarnation (uid) is reported
-- once per reason, so a pod that crash-loops for an hour sends one message, not one per restart.

-- The webhook URL is a secret: give it to kubelua from a Secret and pass it through with
-- `kubelua run --pass-env SLACK_WEBHOOK_URL`. The constant is a placeholder for trying the hook
-- out; replace it only if the hooks folder itself is kept secret.
local PLACEHOLDER_WEBHOOK_URL = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
local WEBHOOK_URL = (os.getenv and os.getenv("SLACK_WEBHOOK_URL")) or PLACEHOLDER_WEBHOOK_URL

-- A handler call may take 2 s in all (kubelua's default limit); leave it time to log the outcome.
local TIMEOUT_SECONDS = 1.5

-- What was sent is kept in `state` (key: the pod's uid, value: { [reason] = true }), so an edit
-- of this hook or a restart of kubelua (with --state-dir) does not send the same alert again; a
-- deleted pod's entry is dropped.

-- "Kind/name" of the pod's controller (ReplicaSet, Job, StatefulSet...), else its first owner.
local function owner_of(pod)
  local refs = pod.metadata.ownerReferences or {}
  for _, ref in ipairs(refs) do
    if ref.controller then return ref.kind .. "/" .. ref.name end
  end
  return refs[1] and (refs[1].kind .. "/" .. refs[1].name) or "none"
end

-- The container whose exit failed the pod: the first that terminated with a non-zero code.
local function failed_container(statuses)
  for _, status in ipairs(statuses) do
    local terminated = status.state and status.state.terminated
    if terminated and terminated.exitCode ~= 0 then return status, terminated end
  end
  return statuses[1], nil
end

-- What is wrong with the pod now, in a fixed order (init containers, containers, then the pod
-- itself), so the messages come out in the same order every time.
local function problems(pod)
  local status = pod.status or {}
  local init, main = status.initContainerStatuses or {}, status.containerStatuses or {}
  local found = {}
  for _, statuses in ipairs({ init, main }) do
    for _, container in ipairs(statuses) do
      local state, last = container.state or {}, container.lastState or {}
      if state.waiting and state.waiting.reason == "CrashLoopBackOff" then
        found[#found + 1] = { reason = "CrashLoopBackOff", container = container, detail = state.waiting.message }
      end
      -- The kill shows in `state` until the container restarts, then in `lastState`.
      local killed = state.terminated or last.terminated
      if killed and killed.reason == "OOMKilled" then
        found[#found + 1] = {
          reason = "OOMKilled", container = container,
          detail = ("exit code %s at %s"):format(killed.exitCode or "?", killed.finishedAt or "?"),
        }
      end
    end
  end
  if status.phase == "Failed" then
    local container, terminated = failed_container(main)
    local detail = status.message
    if not detail and terminated then
      detail = ("%s, exit code %s"):format(terminated.reason or "terminated", terminated.exitCode or "?")
    end
    found[#found + 1] = { reason = status.reason or "Failed", container = container, detail = detail }
  end
  return found
end

local function mrkdwn(text) return { type = "mrkdwn", text = text } end

-- The webhook's JSON: `text` for notifications and clients without blocks, `blocks` for Slack.
local function payload(pod, problem)
  local meta, container = pod.metadata, problem.container
  local container_name = container and container.name or "-"
  local restarts = container and container.restartCount or 0
  local owner = owner_of(pod)
  local text = (":rotating_light: *%s* %s/%s: container %s, %d restart%s, owner %s"):format(
    problem.reason, meta.namespace, meta.name, container_name, restarts, restarts == 1 and "" or "s", owner)
  if problem.detail then text = text .. " (" .. problem.detail .. ")" end
  return text, json.encode({
    text = text,
    blocks = {
      { type = "section", text = mrkdwn(text) },
      {
        type = "section",
        fields = {
          mrkdwn("*Namespace*\n" .. meta.namespace), mrkdwn("*Pod*\n" .. meta.name),
          mrkdwn("*Container*\n" .. container_name), mrkdwn("*Restarts*\n" .. restarts),
          mrkdwn("*Owner*\n" .. owner), mrkdwn("*Node*\n" .. (pod.spec.nodeName or "-")),
        },
      },
    },
  })
end

-- The host only: the rest of a webhook URL is its secret.
local function host_of(url) return url:match("^%a+://([^/]+)") or "?" end

-- Posts the message; returns true when it is done with (sent, or shown in a dry run), false to
-- try again on the pod's next event.
local function send(text, body)
  local response, err
  if http then
    response, err = http.post(WEBHOOK_URL, body, {
      headers = { ["Content-Type"] = "application/json" }, timeout = TIMEOUT_SECONDS,
    })
  end
  if response and response.status >= 200 and response.status < 300 then
    log.info("notified: " .. text, { status = response.status })
    return true
  end
  if http == nil or (err and err:find("disabled in replay", 1, true)) then
    -- `kubelua replay` (HTTP off unless --http-allow), or a kubelua without the http helper.
    -- The body's length, not the body: JSON object keys come out in no fixed order.
    log.info("would notify: " .. text, { bytes = #body, webhook = host_of(WEBHOOK_URL) })
    return true
  end
  log.error("webhook failed: " .. text, { status = response and response.status, error = err })
  return false
end

local function check(pod)
  local uid = pod.metadata.uid
  for _, problem in ipairs(problems(pod)) do
    local sent = state.get(uid) or {}
    if not sent[problem.reason] and send(payload(pod, problem)) then
      sent[problem.reason] = true
      state.set(uid, sent)
    end
  end
end

-- Pods already failing when kubelua starts are reported once, ever: state remembers them.
function on_add(pod, ctx) check(pod) end

function on_update(old, new, ctx) check(new) end

function on_delete(pod, ctx) state.delete(pod.metadata.uid) end
