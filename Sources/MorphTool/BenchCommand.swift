import ArgumentParser
import FaceAnalysis
import Foundation
import Imaging
import Morph
import NeuralNet
import Pipeline

extension MorphCommand {
    /// `morph bench`: micro-benchmarks behind `make bench`.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the speed of the building blocks (used by `make bench`).",
            subcommands: [Sgemm.self, Render.self, Detect.self, Video.self])
    }
}

extension MorphCommand.Bench {
    /// `morph bench sgemm`: matrix-product throughput of the BLAS kernels in use.
    struct Sgemm: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "sgemm GFLOP/s at NxNxN on 1 and 2 threads.")

        @Option(help: "Matrix size N.")
        var size = 1024

        @Option(help: "Timed runs per thread count (the median is printed).")
        var repeats = 7

        func validate() throws {
            try OptionCheck.require(size, in: 1...8192, "--size")
            try OptionCheck.require(repeats, in: 1...1000, "--repeats")
        }

        func run() throws {
            for threads in [1, 2] {
                let rate = BLASBenchmark.sgemmGFLOPS(size: size, threads: threads, repeats: repeats)
                print("sgemm \(size)x\(size) kernels=\(BLASRuntime.coreName) threads=\(threads): "
                      + String(format: "%.1f GFLOP/s", rate))
            }
        }
    }
}

extension MorphCommand.Bench {
    /// `morph bench render`: morph rendering speed (warp + blend, no encoding).
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Frames per second of morph rendering at SIZE x SIZE (median of runs).")

        @Option(help: "Frame side in pixels.") var size = 720
        @Option(help: "Frames per run.") var frames = 120
        @Option(help: "Runs (the median is printed).") var runs = 5

        func validate() throws {
            try OptionCheck.require(size, in: 16...4096, "--size")
            try OptionCheck.require(frames, in: 1...100_000, "--frames")
            try OptionCheck.require(runs, in: 1...1000, "--runs")
        }

        func run() throws {
            let rates = try (0..<runs).map { _ in try MorphBenchmark.renderFramesPerSecond(size: size, frames: frames) }.sorted()
            print(String(format: "render %dx%d: %.1f frames/s (median of %d runs of %d frames; min %.1f, max %.1f)",
                         size, size, rates[runs / 2], runs, frames, rates.first!, rates.last!))
        }
    }

    /// `morph bench detect`: faces plus keypoints per photo, with the breakdown.
    struct Detect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time decode + face finding + keypoints per photo, median over the photos; then a batch on all cores.",
            discussion: "One photo at a time uses both cores inside the network. The batch line runs the photos as "
                + "`morph detect` does, one photo per core, and gives wall time divided by photos.")

        @Argument(help: "Photos to time.") var photos: [String]
        @Option(help: "Model folder (default: the shipped models/).") var models: String?
        @Option(help: "Passes over the photos (the first is a warm-up and not counted).") var passes = 3
        @Option(help: "Enlarge each photo to about this many megapixels first (a 4:3 JPEG, quality 90, in a temporary folder).")
        var megapixels: Double?

        func validate() throws {
            guard !photos.isEmpty else { throw ValidationError("give at least one photo") }
            try OptionCheck.require(passes, in: 2...100, "--passes")
            try OptionCheck.require(megapixels, in: 0.01...100, "--megapixels")
        }

        func run() throws {
            let analyzer = try ModelFiles.analyzer(folder: ModelFiles.folder(explicit: models), manualBoxes: nil)
            let photos = try megapixels.map { try Self.enlarged(self.photos, megapixels: $0) } ?? self.photos
            defer {
                if megapixels != nil { try? FileManager.default.removeItem(atPath: (photos[0] as NSString).deletingLastPathComponent) }
            }
            var totals = [Double](), decode = [Double](), find = [Double](), keypoints = [Double]()
            for pass in 0..<passes {
                for photo in photos {
                    let started = Date()
                    let analysis = try analyzer.analyze(photo, mode: .grey)
                    guard pass > 0 else { continue }
                    totals.append(1000 * Date().timeIntervalSince(started))
                    decode.append(analysis.timings.decode)
                    find.append(analysis.timings.find)
                    keypoints.append(analysis.timings.keypoints)
                }
            }
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            let megapixels = try photos.map { try ImageFile.size(of: $0) }.map { Double($0.width * $0.height) / 1e6 }
            print(String(format: "detect (%d photos of %.1f-%.1f MP): %.1f ms per photo (median of %d; decode %.1f, find %.1f, keypoints %.1f ms; mean %.1f ms)",
                         photos.count, megapixels.min()!, megapixels.max()!, median(totals), totals.count, median(decode),
                         median(find), median(keypoints), totals.reduce(0, +) / Double(totals.count)))
            let folder = ModelFiles.folder(explicit: models)
            let batch = Array(repeating: photos, count: max(1, passes - 1)).flatMap { $0 }
            let started = Date()
            let results = try PhotoBatch.analyze(batch, makeAnalyzer: { try ModelFiles.analyzer(folder: folder, manualBoxes: nil) },
                                                 progress: nil) { analyzer, photo in try analyzer.analyze(photo, mode: .grey).faces.count }
            let failures = results.filter { if case .failure = $0 { true } else { false } }.count
            print(String(format: "batch of %d on %d cores: %.1f ms per photo (wall time / photos)%@", batch.count,
                         ProcessInfo.processInfo.activeProcessorCount, 1000 * Date().timeIntervalSince(started) / Double(batch.count),
                         failures > 0 ? ", \(failures) failed" : ""))
        }

        /// Copies of `photos` enlarged to about `megapixels` (one value for all, or one per photo, cycled),
        /// written as JPEG into a temporary folder.
        static func enlarged(_ photos: [String], megapixels: Double...) throws -> [String] {
            try enlarged(photos, megapixels: megapixels)
        }

        static func enlarged(_ photos: [String], megapixels: [Double]) throws -> [String] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("morph-bench-\(getpid())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return try photos.enumerated().map { index, path in
                let image = try ImageFile.read(path).image
                let factor = (megapixels[index % megapixels.count] * 1e6 / Double(image.pixelCount)).squareRoot()
                let big = image.resized(width: Int(Double(image.width) * factor), height: Int(Double(image.height) * factor))
                let target = folder.appendingPathComponent("photo\(index).jpg").path
                try ImageFile.write(big, to: target, quality: 90)
                return target
            }
        }
    }
}

extension MorphCommand.Bench {
    /// `morph bench video`: the whole job on a collection of mixed sizes.
    struct Video: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time `morph PHOTOS -o video.mp4` end to end on COUNT photos enlarged to mixed sizes (up to 12 MP).")

        @Argument(help: "Photos to draw from (cycled).") var photos: [String]
        @Option(help: "How many photos the collection has.") var count = 17
        @Option(help: "Model folder (default: the shipped models/).") var models: String?
        @Option(help: "Which face: auto, largest, center or N, as for `morph`.") var face = "auto"
        @OptionGroup var look: LookArguments

        func validate() throws {
            guard FaceChoice(argument: face) != nil else { throw ValidationError("--face must be auto, largest, center or a number") }
            guard !photos.isEmpty else { throw ValidationError("give at least one photo") }
            try OptionCheck.require(count, in: 1...1000, "--count")
        }

        func run() throws {
            let sources = (0..<count).map { photos[$0 % photos.count] }
            let collection = try Detect.enlarged(sources, megapixels: [0.3, 1, 2, 5, 8, 12])
            defer { try? FileManager.default.removeItem(atPath: (collection[0] as NSString).deletingLastPathComponent) }
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("morph-bench-\(getpid()).mp4").path
            defer { try? FileManager.default.removeItem(atPath: output) }
            let folder = ModelFiles.folder(explicit: models)
            let started = Date()
            var options = MorphVideoOptions()
            options.face = FaceChoice(argument: face)!
            look.apply(to: &options)
            let identity = options.face.followsPerson ? ModelFiles.identityModel(in: folder) : nil
            let report = try MorphVideoJob(photos: collection, output: output, options: options) {
                try ModelFiles.analyzer(folder: folder, manualBoxes: nil, identity: identity)
            }.run(progress: nil)
            print(String(format: "video: %d photos (0.3-12 MP), face %@, %d frames at 720x720, 30 fps: %.1f s end to end (%d skipped)",
                         count, face, report.frames, Date().timeIntervalSince(started), report.skipped.count))
            if let note = report.note { print("note: \(note)") }
            print(LookArguments.describe(report.smoothness))
        }
    }
}
