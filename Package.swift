// swift-tools-version:6.0
import PackageDescription

/// boxlab: a terminal lab that teaches containers by running real ones.
/// One target per concept (see ../shared/design.md §2). The static C shim that
/// runs between clone() and execve() (Sources/boxlab-shim, not a SwiftPM
/// target) is built by scripts/build-shim with cc, because it must be a tiny
/// static binary (it is also bind-mounted into containers as their `--init`);
/// CBoxShim is only what Swift sees of it: the protocol header and wrappers.
let package = Package(
    name: "boxlab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "boxlab", targets: ["boxlab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .target(
            name: "CBoxShim",
            path: "Sources/CBoxShim",
            cSettings: [.define("_GNU_SOURCE")]
        ),
        .systemLibrary(
            name: "CEditLine",
            path: "Sources/CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // libyaml for lesson files, zlib for gzip layers: C libraries linked
        // dynamically (also by the --static-swift-stdlib release build), so
        // libyaml-0-2 and zlib1g must be installed where boxlab runs.
        .systemLibrary(
            name: "CLibYAML",
            path: "Sources/CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "BoxJSON", path: "Sources/BoxJSON"),
        .target(name: "BoxOS", dependencies: ["CBoxShim"], path: "Sources/BoxOS"),
        .target(name: "BoxCgroups", dependencies: ["BoxOS"], path: "Sources/BoxCgroups"),
        .target(
            name: "BoxImages",
            dependencies: ["BoxOS", "BoxJSON", "CZlib", .product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/BoxImages"
        ),
        .target(name: "BoxNet", dependencies: ["BoxOS", "BoxJSON", "CBoxShim"], path: "Sources/BoxNet"),
        .target(
            name: "BoxRuntime",
            dependencies: ["BoxOS", "BoxJSON", "BoxImages", "BoxCgroups", "BoxNet", "CBoxShim"],
            path: "Sources/BoxRuntime"
        ),
        .target(name: "BoxSim", dependencies: ["BoxOS", "BoxJSON"], path: "Sources/BoxSim"),
        .target(
            name: "BoxLessons",
            dependencies: ["BoxRuntime", "BoxImages", "BoxOS", "BoxJSON", "BoxSim", "CLibYAML"],
            path: "Sources/BoxLessons"
        ),
        .target(
            name: "BoxBuild",
            dependencies: ["BoxImages", "BoxRuntime", "BoxOS"],
            path: "Sources/BoxBuild"
        ),
        .target(
            name: "BoxShell",
            dependencies: [
                "BoxRuntime", "BoxImages", "BoxCgroups", "BoxOS", "BoxJSON", "CBoxShim", "CEditLine", "BoxNet", "BoxSim", "BoxLessons", "BoxBuild",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/BoxShell"
        ),
        .executableTarget(name: "boxlab", dependencies: ["BoxShell"], path: "Sources/boxlab"),
        .testTarget(name: "BoxJSONTests", dependencies: ["BoxJSON"], path: "Tests/BoxJSONTests"),
        .testTarget(name: "BoxOSTests", dependencies: ["BoxOS"], path: "Tests/BoxOSTests"),
        .testTarget(name: "BoxCgroupsTests", dependencies: ["BoxCgroups", "BoxOS"], path: "Tests/BoxCgroupsTests"),
        .testTarget(name: "BoxImagesTests", dependencies: ["BoxImages", "BoxOS", "BoxJSON"], path: "Tests/BoxImagesTests"),
        .testTarget(name: "BoxRuntimeTests", dependencies: ["BoxRuntime", "BoxOS", "BoxJSON", "BoxNet", "CBoxShim"], path: "Tests/BoxRuntimeTests"),
        .testTarget(name: "BoxShellTests", dependencies: ["BoxShell", "BoxOS"], path: "Tests/BoxShellTests"),
        .testTarget(name: "BoxSimTests", dependencies: ["BoxSim", "BoxShell", "BoxJSON", "BoxOS"], path: "Tests/BoxSimTests"),
        .testTarget(name: "BoxLessonsTests", dependencies: ["BoxLessons", "BoxOS"], path: "Tests/BoxLessonsTests"),
        .testTarget(name: "BoxNetTests", dependencies: ["BoxNet", "BoxOS", "BoxJSON"], path: "Tests/BoxNetTests"),
        // BoxShell for its display width (narration must fit 80 columns, Hangul counts two).
        .testTarget(name: "BoxlabCLITests", dependencies: ["BoxOS", "BoxJSON", "BoxShell"], path: "Tests/BoxlabCLITests"),
    ]
)
