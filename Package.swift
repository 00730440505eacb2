// swift-tools-version:6.0
import PackageDescription

/// Release builds keep overflow and bounds checks (-O) in every target that reads files, options or
/// sidecars; only the hot numeric targets drop them (-Ounchecked): NeuralNet (its one parser,
/// safetensors, checks every length and offset explicitly, which -Ounchecked keeps), its convolutions
/// ConvNet (no parser) and Morph (warps images already decoded). Measured on 2026-12-04 against -Ounchecked everywhere: -O everywhere costs
/// `morph bench render` 11% and `bench detect` 2-8%; this split costs about 2% on each (README).
let checked: [SwiftSetting] = [.unsafeFlags(["-O", "-wmo"], .when(configuration: .release))]
let unchecked: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "morph",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "morph", targets: ["MorphTool"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "ConvNet", targets: ["ConvNet"]),
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
        // The few C helpers Swift cannot express, one target per library so that each Swift target
        // sees only the headers it uses: libjpeg's setjmp error handling, FFmpeg's error macros, and
        // the platform's (signal handler for temporary files, CPU probes).
        .target(name: "CJPEGShim", dependencies: ["CJPEG"], cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "CFFmpegShim", dependencies: ["CFFmpeg"], cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "CPlatform", cSettings: [.unsafeFlags(["-O2"])]),
        // ConvNet's AVX2 kernels (Winograd F(4x4, 3x3) tile transforms, narrow matrix products),
        // chosen at run time.
        .target(name: "CConvKernels", cSettings: [.unsafeFlags(["-O2"])]),

        // Shared plumbing, the one home of what every target needs: safe whole-file reads, atomic
        // writes, temporary names and their clean-up on signals, plain-word error reasons,
        // terminal-safe text, parallel loops and the worker pool, progress lines.
        .target(name: "Plumbing", dependencies: ["CPlatform"], swiftSettings: checked),
        // The network engine's core: tensors, sgemm, scratch buffers, the layer protocol and the dense
        // layers with backward, losses, optimisers, schedules, the layer profiler, state dicts and
        // safetensors, the BLAS runtime (kernel choice and the re-exec). No image or video library.
        .target(name: "NeuralNet", dependencies: ["CBLAS", "CPlatform", "Plumbing"], swiftSettings: unchecked),
        // The engine's convolutional layers on NeuralNet's core: Conv2d (im2col, Winograd), BatchNorm2d,
        // pooling, BlurPool, ResNet18.
        .target(name: "ConvNet", dependencies: ["NeuralNet", "Plumbing", "CPlatform", "CConvKernels"], swiftSettings: unchecked),
        // `Image` and what is done to pictures: JPEG and PNG codecs, EXIF, resampling, warping, drawing,
        // fonts, contact sheets and plots.
        .target(name: "Imaging", dependencies: ["CJPEGShim", "CPNG", "CFreeType", "Plumbing"], swiftSettings: checked),
        // Annotation formats and datasets: IMM, 300-W, dlib XML, LFW, sidecars, splits, landmark schemes.
        .target(name: "FaceData", dependencies: ["Imaging", "Plumbing"], swiftSettings: checked),
        // Inference, what `morph` and `morph detect` run: face finder, verifier, keypoint and identity
        // models, the analyser, the people in a collection.
        .target(name: "FaceAnalysis", dependencies: ["NeuralNet", "ConvNet", "Imaging", "FaceData"],
                swiftSettings: checked),
        // Training and the measures it validates with: loop, run folder, options and recipes,
        // augmentation, datasets in memory, the 68-point and identity training jobs.
        .target(name: "Training",
                dependencies: ["FaceAnalysis", "NeuralNet", "ConvNet", "Imaging", "FaceData", "Plumbing"],
                swiftSettings: checked),
        // Training the face finder (synthetic and real scenes) and its verifier, and the finder's measures.
        .target(name: "DetectorTraining",
                dependencies: ["Training", "FaceAnalysis", "NeuralNet", "Imaging", "FaceData", "Plumbing"],
                swiftSettings: checked),
        // The course's IMM networks (nose tip, 58 points) and their crop stages: specifications, recipes,
        // the two-stage cascade and its evaluation.
        .target(name: "CourseModels",
                dependencies: ["Training", "FaceAnalysis", "NeuralNet", "ConvNet", "Imaging", "FaceData"],
                swiftSettings: checked),
        // The morph itself, no neural network: Delaunay, alignment, triangle warps, blending, colour
        // harmonisation, border fill, frame schedule.
        .target(name: "Morph", dependencies: ["Imaging", "Plumbing"], swiftSettings: unchecked),
        // H.264/MP4 (and GIF) encoding on libavcodec/libavformat.
        .target(name: "Video", dependencies: ["CFFmpeg", "CFFmpegShim", "Imaging", "Plumbing"], swiftSettings: checked),
        // The jobs the tool runs end to end: photos -> keypoints -> morph video, and `detect`.
        .target(name: "Pipeline", dependencies: ["Imaging", "FaceData", "FaceAnalysis", "Morph", "Video", "Plumbing"],
                swiftSettings: checked),
        // What `morph eval` measures: keypoints on whole photos, the finder's recall, identity on LFW and
        // IMM, `--face auto` on made-up collections.
        .target(name: "Evaluation",
                dependencies: ["DetectorTraining", "Training", "FaceAnalysis", "Pipeline", "NeuralNet", "Imaging",
                               "FaceData", "Plumbing"],
                swiftSettings: checked),
        // The `morph` program (Sources/MorphTool; named apart from Sources/Morph, which differs only in
        // case): swift-argument-parser commands that parse, then call the libraries.
        .executableTarget(
            name: "MorphTool",
            dependencies: [
                "NeuralNet", "ConvNet", "Imaging", "FaceData", "FaceAnalysis", "Training", "DetectorTraining",
                "CourseModels", "Evaluation", "Benchmarks", "Morph", "Video", "Pipeline", "Plumbing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: checked),
        // The speed measurements in one place (`morph bench`, `nnbench`, `make bench`): sgemm, the engine's
        // workloads, morph rendering, detection, the whole video job. Checked: the timed work runs in the
        // targets it measures, with their own flags.
        .target(name: "Benchmarks",
                dependencies: ["CBLAS", "NeuralNet", "ConvNet", "Imaging", "Morph", "FaceAnalysis", "Pipeline", "Plumbing"],
                swiftSettings: checked),
        // Engine speed on the NeuralNet issue's workloads, one per run (tools/bench-neuralnet.sh).
        .executableTarget(name: "nnbench", dependencies: ["Benchmarks", "NeuralNet"], swiftSettings: unchecked),

        // One test target per library target.
        .testTarget(name: "PlumbingTests", dependencies: ["Plumbing"]),
        // NeuralNetTests covers ConvNet too: its gradient checks, golden comparisons and training tests run
        // core and convolutional layers together on one set of helpers (test targets cannot share code).
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "ConvNet"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"], resources: [.copy("Fixtures")]),
        .testTarget(name: "FaceDataTests", dependencies: ["FaceData"]),
        .testTarget(name: "FaceAnalysisTests", dependencies: ["FaceAnalysis"]),
        // The training tests train the course's small nose network: quick, and it shows a loss falling.
        .testTarget(name: "TrainingTests", dependencies: ["Training", "CourseModels"]),
        .testTarget(name: "DetectorTrainingTests", dependencies: ["DetectorTraining"]),
        .testTarget(name: "CourseModelsTests", dependencies: ["CourseModels"]),
        .testTarget(name: "MorphTests", dependencies: ["Morph"]),
        .testTarget(name: "VideoTests", dependencies: ["Video"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation"]),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks"]),
        // Runs the built `morph` executable: exit codes, messages, refusals, interrupted renders.
        .testTarget(name: "MorphToolTests", dependencies: ["Imaging", "FaceData", "FaceAnalysis", "Pipeline"]),
    ],
    swiftLanguageModes: [.v5]
)
