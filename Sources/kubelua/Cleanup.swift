/// Runs `body`, then `cleanup` whether `body` returned or threw: an async `defer`, so every
/// exit path of a command shuts its HTTP clients and servers down (a client dropped without
/// `shutdown()` traps in debug builds).
func withCleanup<Result>(
    _ cleanup: () async throws -> Void, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> Result
) async throws -> Result {
    let result: Swift.Result<Result, any Error>
    do {
        result = .success(try await body())
    } catch {
        result = .failure(error)
    }
    do {
        try await cleanup()
    } catch {
        // The body's error says more than a failed shutdown after it.
        if case .success = result { throw error }
    }
    return try result.get()
}
