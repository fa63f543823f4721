// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "kubelua",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Lua", targets: ["Lua"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        .target(
            name: "Lua",
            dependencies: [
                "CLua",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "json-bench",
            dependencies: ["Lua", "CLua"],
            path: "Benchmarks/JSONBench"
        ),
        .testTarget(name: "LuaTests", dependencies: ["Lua", "CLua"]),
    ]
)
