// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "vmatte",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vmatte", targets: ["vmatte"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries and the C shims Swift cannot import as macros.
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev", "libswresample-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        // oneDNN's convolutions behind a small C interface (its API passes structs of arrays).
        .target(name: "COneDNN", linkerSettings: [.linkedLibrary("dnnl"), .linkedLibrary("gomp")]),

        // Pipeline stages, in the order a frame flows through them.
        .target(name: "MatteCore"),
        .target(name: "FFmpegSupport", dependencies: ["CFFmpeg", "MatteCore"]),
        .target(name: "Decode", dependencies: ["CFFmpeg", "FFmpegSupport", "MatteCore"]),
        .target(name: "Trimaps", dependencies: ["MatteCore", "Decode"]),
        .target(name: "ClosedForm", dependencies: ["MatteCore"]),
        .target(name: "Engine", dependencies: ["COpenBLAS", "COneDNN", "ClosedForm", "MatteCore"]),
        .target(name: "Encode", dependencies: ["CFFmpeg", "FFmpegSupport", "MatteCore"]),
        .target(name: "Metrics", dependencies: ["MatteCore"]),
        .target(name: "Compose", dependencies: ["MatteCore", "Decode"]),
        // What runs a job through the stages: threads and queues, sinks, resume, progress, reports, evaluations.
        .target(name: "Pipeline", dependencies: ["MatteCore", "FFmpegSupport", "Decode", "Trimaps", "ClosedForm", "Engine", "Encode", "Compose", "Metrics"]),
        // Measurements of the stages on this machine (`vmatte bench`).
        .target(name: "Bench", dependencies: ["COpenBLAS", "MatteCore", "Decode", "Trimaps", "ClosedForm", "Engine", "Compose", "Metrics"]),
        .executableTarget(name: "vmatte", dependencies: [
            "MatteCore", "FFmpegSupport", "Decode", "Trimaps", "Engine", "Encode", "Compose", "Pipeline", "Bench",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // One test target per library target, then the command line's.
        .testTarget(name: "MatteCoreTests", dependencies: ["MatteCore"]),
        .testTarget(name: "FFmpegSupportTests", dependencies: ["FFmpegSupport", "MatteCore"]),
        .testTarget(name: "DecodeTests", dependencies: ["Decode", "Encode", "MatteCore", "CFFmpeg"]),
        .testTarget(name: "TrimapsTests", dependencies: ["Trimaps", "Decode", "MatteCore"]),
        .testTarget(name: "ClosedFormTests", dependencies: ["ClosedForm", "Engine", "MatteCore"], exclude: ["Golden"]),
        .testTarget(name: "EngineTests", dependencies: ["ClosedForm", "Engine", "MatteCore"], exclude: ["Golden"]),
        .testTarget(name: "EncodeTests", dependencies: ["Encode", "Decode", "Metrics", "MatteCore"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "MatteCore"], exclude: ["Golden"]),
        .testTarget(name: "ComposeTests", dependencies: ["Compose", "Decode", "Encode", "MatteCore"]),
        .testTarget(name: "BenchTests", dependencies: ["Bench", "Engine", "MatteCore"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Decode", "Encode", "MatteCore", "Trimaps"]),
        .testTarget(name: "CLITests", dependencies: ["ClosedForm", "Compose", "Decode", "Encode", "Engine", "Metrics", "MatteCore", "Trimaps",
                                                     "CFFmpeg", "FFmpegSupport"]),
    ]
)
