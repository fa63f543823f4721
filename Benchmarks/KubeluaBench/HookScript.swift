/// The one handler both sides run, so the Lua work per event is identical: read the two fields
/// the issue names and keep a count, so the reads are not dead code.
enum HookScript {
    static let handler = """
        seen, running = 0, 0
        function on_update(old, new)
          local name, phase = new.metadata.name, new.status.phase
          seen = seen + 1
          if phase == "Running" and name ~= nil then running = running + 1 end
        end
        """
}
