/// LuaLS annotations for what kubelua gives a hook script: the handlers it calls, `ctx`, the
/// `hook` settings table, and every helper of the sandbox with its parameters and results.
/// Written by hand (the helpers are kubelua's own); a test fails when the sandbox has a helper
/// function these do not declare.
public enum KubeluaLuaStubs {
    public static let text = #"""
---@meta
-- kubelua's hook API for LuaLS: handlers, ctx, the hook settings table and the sandbox's
-- helpers. Written by `kubelua stubs`; do not edit.

---What a handler is called with besides the pod.
---@class kubelua.Context
---@field event "add"|"update"|"delete"|"timer"|"schedule"|"start" What happened.
---@field namespace string The pod's namespace (pod calls only).
---@field name string The pod's name (pod calls only).
---@field hook string The hook's path relative to the hooks folder, such as "default/notify.lua".
---@field initial boolean The pod existed before this hook version loaded (on_add).
---@field tombstone boolean The delete was inferred on a relist (on_delete).
---@field resource_version string The pod's own metadata.resourceVersion.
---@field attempt integer 1, or the retry's number.
---@field reason? "selected"|"unselected" A selector made the event (nil otherwise).
---@field dry_run boolean kubelua runs with --dry-run: writes are only validated.
---@field resync? boolean The update is a periodic resync (hook.resync), not a change.
---@field replayed? boolean A replica that took over leading delivers the event again from its history (run --leader-elect); the old leader may have handled it.
---@field time? integer on_schedule: the tick's time, seconds since 1970.
---@field missed? boolean on_schedule: this call stands for ticks that came while no process ran the hook (a restart, a takeover).
---@field reload? boolean on_start: an earlier version of this hook ran in this process.

---A pod was added (or existed when this hook version loaded: ctx.initial).
---@param pod k8s.Pod
---@param ctx kubelua.Context
function on_add(pod, ctx) end

---A pod changed; old is the state previously delivered for it.
---@param old k8s.Pod
---@param new k8s.Pod
---@param ctx kubelua.Context
function on_update(old, new, ctx) end

---A pod was deleted (ctx.tombstone: inferred on a relist).
---@param pod k8s.Pod
---@param ctx kubelua.Context
function on_delete(pod, ctx) end

---status.phase changed; from is nil on add.
---@param pod k8s.Pod
---@param from string?
---@param to string
---@param ctx kubelua.Context
function on_phase(pod, from, to, ctx) end

---A timer set with timer.after(pod, delay) came due; pod is its latest state.
---@param pod k8s.Pod
---@param ctx kubelua.Context
function on_timer(pod, ctx) end

---A tick of hook.schedule.
---@param ctx kubelua.Context
function on_schedule(ctx) end

---This hook version starts, before its events.
---@param ctx kubelua.Context
function on_start(ctx) end

---@class kubelua.RetrySettings
---@field attempts? integer Attempts in all, 1 to 100.
---@field initial? string|number The first wait ("1s"), doubling after each failure.
---@field max? string|number The longest wait ("5m").
---@field supersede? boolean A newer event of the pod replaces the waiting one.

---@class kubelua.LimitSettings
---@field time? string|number Seconds a handler call may take ("5s").
---@field memory? string|integer Memory the script may use ("16MiB").
---@field instructions? integer Lua instructions a handler call may run.

---The hook's settings, read once when the script loads. Durations: seconds or "500ms", "90s", "1h30m".
---@class kubelua.HookSettings
---@field labels? string Label selector (Kubernetes syntax).
---@field fields? string Field selector (pod fields the API supports).
---@field retry? kubelua.RetrySettings
---@field debounce? string|number Updates of a pod within the window arrive as one.
---@field limits? kubelua.LimitSettings Override --time-limit, --memory-limit, --instruction-limit.
---@field schedule? string Cron schedule of on_schedule ("*/5 * * * *").
---@field resync? string|number How often every pod is handed again as on_update (ctx.resync).

---@type kubelua.HookSettings?
hook = nil

---@alias kubelua.LogFields table<string, string|number|boolean|nil>

---Structured lines; the hook, namespace and pod are added.
log = {}
---@param message string
---@param fields? kubelua.LogFields
function log.debug(message, fields) end
---@param message string
---@param fields? kubelua.LogFields
function log.info(message, fields) end
---@param message string
---@param fields? kubelua.LogFields
function log.warn(message, fields) end
---@param message string
---@param fields? kubelua.LogFields
function log.error(message, fields) end

json = {}
---The JSON null: `x == json.null` tests for it.
---@type lightuserdata
json.null = nil
---@param value any
---@return string
function json.encode(value) end
---@param text string
---@return any
function json.decode(text) end
---Marks a table as an array, so an empty one encodes as [].
---@generic T: table
---@param t T
---@return T
function json.array(t) end

---@class kubelua.HTTPResponse
---@field status integer
---@field headers table<string, string> Names lower-cased.
---@field body string

---@class kubelua.HTTPOptions
---@field headers? table<string, string>
---@field timeout? number Seconds (default 5, at most 30).

---@class kubelua.HTTPRequest: kubelua.HTTPOptions
---@field method? "GET"|"HEAD"|"POST"|"PUT"|"PATCH"|"DELETE"|"OPTIONS"
---@field url string
---@field body? string

http = {}
---@param request kubelua.HTTPRequest
---@return kubelua.HTTPResponse? response
---@return string? err
function http.request(request) end
---@param url string
---@param opts? kubelua.HTTPOptions
---@return kubelua.HTTPResponse? response
---@return string? err
function http.get(url, opts) end
---@param url string
---@param body string
---@param opts? kubelua.HTTPOptions
---@return kubelua.HTTPResponse? response
---@return string? err
function http.post(url, body, opts) end

---Why a kube call failed; tostring(err) is one line.
---@class kubelua.KubeError
---@field status integer HTTP code, 0 when no answer came.
---@field reason string NotFound, Forbidden, Conflict, AlreadyExists, TooManyRequests, Invalid, Timeout, Unreachable, NotLeader, offline, ...
---@field message string

---A pod or any object a handler received or read, or a table naming one.
---@alias kubelua.Ref k8s.Pod|{apiVersion: string, kind: string, namespace?: string, name: string, uid?: string}

kube = {}
---A pod of the hook's scope from the cache, or nil.
---@param namespace string
---@param name string
---@return k8s.Pod?
function kube.pod(namespace, name) end
---Pods of the hook's scope from the cache.
---@param query? {namespace?: string, labels?: string, phase?: string}
---@return k8s.Pod[]
function kube.pods(query) end
---@param query {apiVersion: string, kind: string, namespace?: string, name: string}
---@return table? object
---@return kubelua.KubeError? err
function kube.get(query) end
---@param query {apiVersion: string, kind: string, namespace?: string, labels?: string, fields?: string, limit?: integer}
---@return table? list
---@return kubelua.KubeError? err
function kube.list(query) end
---@param ref kubelua.Ref
---@param patch table
---@param opts? {type?: "merge"|"strategic"|"json", field_manager?: string}
---@return table? object
---@return kubelua.KubeError? err
function kube.patch(ref, patch, opts) end
---json.null as a value removes the label.
---@param ref kubelua.Ref
---@param labels table<string, string|lightuserdata>
---@return table? object
---@return kubelua.KubeError? err
function kube.label(ref, labels) end
---json.null as a value removes the annotation.
---@param ref kubelua.Ref
---@param annotations table<string, string|lightuserdata>
---@return table? object
---@return kubelua.KubeError? err
function kube.annotate(ref, annotations) end
---A ref with a uid carries it as a precondition.
---@param ref kubelua.Ref
---@param opts? {grace_period?: integer, propagation?: "Background"|"Foreground"|"Orphan"}
---@return table? status
---@return kubelua.KubeError? err
function kube.delete(ref, opts) end
---A policy/v1 Eviction (honours PodDisruptionBudgets).
---@param pod kubelua.Ref
---@param opts? {grace_period?: integer}
---@return table? status
---@return kubelua.KubeError? err
function kube.evict(pod, opts) end
---@param object {apiVersion: string, kind: string, metadata: table}
---@return table? object
---@return kubelua.KubeError? err
function kube.create(object) end
---@param ref kubelua.Ref
---@param event {type?: "Normal"|"Warning", reason: string, message: string, action?: string}
---@return table? event
---@return kubelua.KubeError? err
function kube.event(ref, event) end

---@class kubelua.Counter
local Counter = {}
---@param labels_or_amount? table<string, string>|number
---@param amount? number
function Counter:inc(labels_or_amount, amount) end

---@class kubelua.Gauge
local Gauge = {}
---@param labels_or_value table<string, string>|number
---@param value? number
function Gauge:set(labels_or_value, value) end
---@param labels_or_amount? table<string, string>|number
---@param amount? number
function Gauge:inc(labels_or_amount, amount) end
---@param labels_or_amount? table<string, string>|number
---@param amount? number
function Gauge:dec(labels_or_amount, amount) end

---@class kubelua.Histogram
local Histogram = {}
---@param labels_or_value table<string, string>|number
---@param value? number
function Histogram:observe(labels_or_value, value) end

---Metrics served on /metrics.
metrics = {}
---@param name string
---@param labels? string[] Label names.
---@return kubelua.Counter
function metrics.counter(name, labels) end
---@param name string
---@param labels? string[]
---@return kubelua.Gauge
function metrics.gauge(name, labels) end
---@param name string
---@param labels? string[]
---@param buckets? number[]
---@return kubelua.Histogram
function metrics.histogram(name, labels, buckets) end

---The hook's own key-value store.
state = {}
---@param key string
---@return any
function state.get(key) end
---@param key string
---@param value any
function state.set(key, value) end
---@param key string
function state.delete(key) end
---@return string[]
function state.keys() end

timer = {}
---Calls on_timer(pod, ctx) once delay has passed (one pending timer per pod; a later call replaces it).
---@param pod kubelua.Ref
---@param delay string|number Seconds, or "90s", "1h" (at most 30 days).
function timer.after(pod, delay) end
---@param pod kubelua.Ref
function timer.cancel(pod) end

---Returned by a handler: run the same event again, after delay or the hook's backoff.
---@param delay? string|number
---@return any
function retry(delay) end

---The sandbox's os: time and the variables passed with --pass-env only.
os = {}
---@param t? osdateparam
---@return integer
function os.time(t) end
---@param format? string
---@param time? integer
---@return string|osdate
function os.date(format, time) end
---@param name string
---@return string?
function os.getenv(name) end
---@return number
function os.clock() end
---@param t2 integer
---@param t1? integer
---@return number
function os.difftime(t2, t1) end
"""#
}
