import Lua

extension LuaModule {
    /// The `http` helper. Each call suspends only the handler that makes it: the request runs
    /// on the shared client while other hooks and other pods' events go on.
    ///
    /// ```lua
    /// local r, err = http.request{method = "POST", url = "https://hooks.example.com/pods",
    ///                             headers = {["Content-Type"] = "application/json"},
    ///                             body = json.encode(pod.metadata), timeout = 5}
    /// local r, err = http.get(url, {headers = {...}, timeout = 2})
    /// local r, err = http.post(url, body, {headers = {...}, timeout = 2})
    /// if r then print(r.status, r.headers["content-type"], #r.body) else log.warn(err) end
    /// ```
    ///
    /// - A response is `{status = 200, headers = {...}, body = "..."}`: header names lower-cased,
    ///   repeated headers joined with ", ". Any status counts as a response, 3xx included:
    ///   redirects are not followed.
    /// - A failure is `nil, err` (a string): the host refused by the allow-list or as a
    ///   loopback, link-local or cloud metadata address, no connection, a timeout, a response larger
    ///   than the cap, a bad or non-http(s) URL, a request body over its cap, http disabled.
    /// - Misuse raises a Lua error: wrong argument or field types, unknown fields, a method
    ///   other than GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, a header name or value that
    ///   is not valid HTTP, or a call where the handler cannot wait (a script's top level, a
    ///   coroutine, a `table.sort` comparator, a `string.gsub` callback).
    /// - `timeout` is in seconds (fractions allowed); it defaults to the policy's (5 s) and is
    ///   cut to its maximum (30 s). The handler's deadline still applies: a request that would
    ///   outlast it is cancelled, and the handler is stopped as for any deadline.
    /// - `method` defaults to GET. `Host`, `Content-Length` and `Transfer-Encoding` are set by
    ///   kubelua (a `Host` header given by the script is replaced by the URL's host).
    ///
    /// With `requests`, each request of the hook `hook` is counted by outcome.
    public static func http(_ helper: HTTPHelper, hook: String = "", requests: HTTPRequestStatistics? = nil) -> LuaModule {
        let counting = requests.map { requests in { @Sendable (result: LuaAsyncResult) in requests.count(hook: hook, result) } }
        return LuaModule(name: "http") { state in
            state.newTable(fieldCapacity: 3)
            state.pushSuspendingFunction(named: "http.request") { arguments in
                let request = try HTTPHelperRequest.read(requestTable: arguments)
                return suspension(helper, request, arguments, hook, counting)
            }
            state.setField("request")
            state.pushSuspendingFunction(named: "http.get") { arguments in
                let request = try HTTPHelperRequest.read(method: "GET", arguments: arguments)
                return suspension(helper, request, arguments, hook, counting)
            }
            state.setField("get")
            state.pushSuspendingFunction(named: "http.post") { arguments in
                let request = try HTTPHelperRequest.read(method: "POST", arguments: arguments)
                return suspension(helper, request, arguments, hook, counting)
            }
            state.setField("post")
        }
    }

    /// The wait, bounded by what is left of the handler's deadline when it starts.
    private static func suspension(
        _ helper: HTTPHelper, _ request: HTTPHelperRequest, _ arguments: LuaArguments, _ hook: String, _ counting: (@Sendable (LuaAsyncResult) -> Void)?
    ) -> LuaSuspension {
        let secondsLeft = arguments.secondsLeft
        return LuaSuspension {
            let result = await helper.perform(request, secondsLeft: secondsLeft, hook: hook)
            counting?(result)
            return result
        }
    }
}
