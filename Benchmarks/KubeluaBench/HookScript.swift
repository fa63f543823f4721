/// The hooks the benchmark loads. Every one runs `handler`, the Lua the reference runs too, so
/// the Lua work per event is the same on both sides.
enum HookScript {
    /// Reads the two fields the issue names and keeps a count, so the reads are not dead code.
    static let handler = """
        seen, running = 0, 0
        function on_update(old, new)
          local name, phase = new.metadata.name, new.status.phase
          seen = seen + 1
          if phase == "Running" and name ~= nil then running = running + 1 end
        end
        """

    /// `count` hooks running `handler`, by file name; with `reads`, each declares them
    /// (`hook = { reads = {...} }`).
    static func copies(_ count: Int, reads: [String]? = nil) -> [String: String] {
        let declaration = reads.map { "hook = { reads = { \($0.map { "\"\($0)\"" }.joined(separator: ", ")) } }\n" } ?? ""
        return Dictionary(uniqueKeysWithValues: (1...max(1, count)).map { (String(format: "bench-%02d.lua", $0), declaration + handler) })
    }

    /// What the memory part's declaring hooks read: all that `handler` reads.
    static let reads = ["metadata", "status.phase"]

    /// The annotation the server child stamps paced events with: its monotonic clock, in ns.
    static let sentAnnotation = "bench.kubelua/sent-ns"

    /// `handler`, first reporting to the probe when the event carries a send stamp.
    static let latency = handler + """

        local handle = on_update
        function on_update(old, new)
          local annotations = new.metadata.annotations
          local sent = annotations and annotations["\(sentAnnotation)"]
          if sent then bench.entered(sent) end
          handle(old, new)
        end
        """

    /// `handler`, first telling the probe which version of the file is running.
    static func versioned(_ version: Int) -> String {
        handler + """

            local handle = on_update
            function on_update(old, new)
              bench.version(\(version))
              handle(old, new)
            end
            """
    }

    /// The takeover part's hook: one line per call with the pod version, its send stamp and
    /// how the call was marked (read back as a `HandledCall`).
    static let takeover = """
        local function handled(pod, ctx)
          local annotations = pod.metadata.annotations
          local sent = annotations and annotations["\(sentAnnotation)"] or "0"
          print("handled " .. pod.metadata.namespace .. "/" .. pod.metadata.name .. " " .. pod.metadata.resourceVersion
            .. " " .. sent .. " " .. tostring(ctx.replayed) .. " " .. tostring(ctx.initial))
        end
        function on_add(pod, ctx) handled(pod, ctx) end
        function on_update(old, new, ctx) handled(new, ctx) end
        """
}
