// swift-tools-version:6.0
import PackageDescription

/// Release builds drop overflow and bounds checks in the hot numeric code; debug keeps them.
let fast: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "morph",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "morph", targets: ["morph"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "Morph", targets: ["Morph"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries, found through pkg-config; the providers name the Debian packages.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CFreeType", pkgConfig: "freetype2", providers: [.apt(["libfreetype-dev"])]),
        .systemLibrary(
            name: "CFFmpeg", pkgConfig: "libavformat libavcodec libswscale libavutil",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]),
        // The few C helpers Swift cannot express (setjmp error handling, macro shims, CPU probes).
        .target(name: "CSupport", dependencies: ["CJPEG", "CFFmpeg", "CBLAS"],
                cSettings: [.unsafeFlags(["-O2"])]),

        .target(name: "NeuralNet", dependencies: ["CBLAS", "CSupport"], swiftSettings: fast),
        .target(name: "Imaging", dependencies: ["CSupport", "CJPEG", "CPNG", "CFreeType"], swiftSettings: fast),
        .target(name: "FaceData", dependencies: ["Imaging"], swiftSettings: fast),
        .target(name: "Landmarks", dependencies: ["NeuralNet", "Imaging", "FaceData"], swiftSettings: fast),
        .target(name: "Morph", dependencies: ["Imaging"], swiftSettings: fast),
        .target(name: "Video", dependencies: ["CFFmpeg", "CSupport", "Imaging"], swiftSettings: fast),
        // The jobs the tool runs end to end: photos -> keypoints -> morph video, and `detect`.
        .target(name: "Pipeline", dependencies: ["Imaging", "FaceData", "Landmarks", "Morph", "Video"],
                swiftSettings: fast),
        .executableTarget(
            name: "morph",
            dependencies: [
                "NeuralNet", "Imaging", "FaceData", "Landmarks", "Morph", "Video", "Pipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fast),
        // Engine speed on the NeuralNet issue's workloads (tools/bench-neuralnet.sh).
        .executableTarget(name: "nnbench", dependencies: ["NeuralNet"], swiftSettings: fast),

        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"], resources: [.copy("Fixtures")]),
        .testTarget(name: "FaceDataTests", dependencies: ["FaceData"]),
        .testTarget(name: "LandmarksTests", dependencies: ["Landmarks"]),
        .testTarget(name: "MorphTests", dependencies: ["Morph"]),
        .testTarget(name: "VideoTests", dependencies: ["Video"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline"]),
    ],
    swiftLanguageModes: [.v5]
)
