// Replaced when the pattern matcher and JSON converter land.
extension LuaSandbox {
    func installPatternFunctions(in state: LuaState) {}
}
extension LuaModule {
    static let json = LuaModule(name: "json") { state in state.newTable() }
}
