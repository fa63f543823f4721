import ArgumentParser

@main
struct Kubelua: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubelua",
        abstract: "Runs Lua hooks on Kubernetes pod events.",
        subcommands: [RunCommand.self, CheckCommand.self, ReplayCommand.self, DemoCommand.self, EventsCommand.self]
    )
}
