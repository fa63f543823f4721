import ArgumentParser

@main
struct Kubelua: AsyncParsableCommand {
    /// The version `kubelua --version` prints; defined here only.
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "kubelua",
        abstract: "Runs Lua hooks on Kubernetes pod events.",
        version: Kubelua.version,
        subcommands: [RunCommand.self, CheckCommand.self, ReplayCommand.self, TestCommand.self, StubsCommand.self, RBACCommand.self, DemoCommand.self, EventsCommand.self]
    )
}
