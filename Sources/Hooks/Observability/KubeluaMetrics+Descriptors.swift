import Prometheus

/// The names, units and help texts of kubelua's own metrics (the README lists them).
extension KubeluaMetrics {
    private static func describe(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "kubelua", metricName: name, unitName: unit, helpText: help)
    }

    static var buildInfo: MetricNameDescriptor { describe("build", "info", "Always 1; the version label says which kubelua runs.") }
    static var handlerCalls: MetricNameDescriptor { describe("handler_calls", "total", "Handler calls per hook, handler and result.") }
    static var handlerDuration: MetricNameDescriptor { describe(
        "handler_duration", "seconds", "Handler call durations per hook and handler, waits on helpers included.") }
    static var giveUps: MetricNameDescriptor {
        describe("handler_giveups", "total", "Events a hook's retries gave up on, per hook and the handler that failed last.")
    }
    static var scheduleSkips: MetricNameDescriptor {
        describe("schedule_skips", "total", "Schedule ticks not run because the hook's previous on_schedule call was still running.")
    }
    static var backlog: MetricNameDescriptor {
        describe("backlog", "calls", "Events handed to each hook and not finished: queued, running, waiting for a retry or a debounce window.")
    }
    static var backlogOldest: MetricNameDescriptor { describe(
        "backlog_oldest", "seconds", "Age of the oldest event queued or running per hook; 0 when none.") }
    static var luaMemory: MetricNameDescriptor { describe("lua_memory", "bytes", "Bytes allocated by each hook's Lua state, after its last call.") }
    static var loadFailures: MetricNameDescriptor { describe("load_failures", "total", "Hook versions that failed to compile or to run their top level.") }
    static var loadedTimestamp: MetricNameDescriptor { describe(
        "loaded_timestamp", "seconds", "When the hook's running version was loaded (Unix time).") }
    static var eventsReceived: MetricNameDescriptor { describe("events_received", "total", "Pod events received per type and watch.") }
    static var watchStarts: MetricNameDescriptor { describe("watch_changes", "total", "Times the set of watches was (re)started for the hooks folder.") }
    static var lastEvent: MetricNameDescriptor { describe("last_event_timestamp", "seconds", "When the watch last delivered an event (Unix time).") }
    static var lastSync: MetricNameDescriptor { describe("last_sync_timestamp", "seconds", "When a list of the watch was last applied (Unix time).") }
    static var watchSynced: MetricNameDescriptor {
        describe("watch_synced", "", "1 once the watch's first list has been applied, 0 before; per watch (a namespace, or _all).")
    }
    static var watchRequestFailures: MetricNameDescriptor {
        describe("watch_request_failures", "total", "Failed list and watch requests of the informer (each retried), per watch, request and reason (Forbidden, unreachable, ...).")
    }
    static var relists: MetricNameDescriptor { describe("relists", "total", "Lists begun per watch and reason (start, queries_changed, gone, error).") }
    static var watchRestarts: MetricNameDescriptor {
        describe("watch_restarts", "total", "Watches opened again without a list, per watch and reason (closed, error).")
    }
    static var kubeRequests: MetricNameDescriptor {
        describe("kube_requests", "total", "API requests hooks made through the kube helper, per hook, verb, resource and HTTP code (0: no answer).")
    }
    static var kubeRefused: MetricNameDescriptor {
        describe("kube_refused", "total", "kube calls refused before any request as outside the hook's namespace, per hook, call and resource.")
    }
    static var httpRequests: MetricNameDescriptor {
        describe("http_requests", "total", "Requests hooks made with the http helper, per hook and outcome (2xx..5xx, or failed: no response).")
    }
    static var leader: MetricNameDescriptor {
        describe("leader", "", "1 while this replica holds the lease (run --leader-elect) and runs the hooks, 0 while it stands by.")
    }
    static var leaderTransitions: MetricNameDescriptor {
        describe("leader_transitions", "total", "Times this replica started (acquired) or stopped leading, per lease and transition (acquired, released, conflict, renew_deadline, elector_stopped).")
    }
    static var historyEvents: MetricNameDescriptor {
        describe("history", "events", "Events a standby keeps to replay when it takes over (run --leader-elect): those after the leader's last checkpoint.")
    }
    static var historyBytes: MetricNameDescriptor {
        describe("history", "bytes", "Bytes of the pod versions a standby's history holds.")
    }
    static var checkpointLag: MetricNameDescriptor {
        describe("checkpoint_lag", "seconds", "On the leader: how long ago the oldest delivery that keeps its checkpoint from advancing was handed to the hooks (0: the checkpoint is current).")
    }
    static var podsCached: MetricNameDescriptor { describe("pods", "cached", "Pods in the informer's cache.") }
}
