import ArgumentParser
import Benchmarks
import FaceAnalysis
import Foundation
import Pipeline

extension MorphCommand {
    /// `morph bench`: micro-benchmarks behind `make bench`.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the speed of the building blocks (used by `make bench`).",
            subcommands: [Sgemm.self, Render.self, Detect.self, Video.self, People.self])
    }
}

extension MorphCommand.Bench {
    /// `morph bench sgemm`: matrix-product throughput of the BLAS kernels in use.
    struct Sgemm: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "sgemm GFLOP/s at NxNxN on 1 and 2 threads.")

        @Option(parsing: .unconditional, help: "Matrix size N (1 to 8192).")
        var size = 1024

        @Option(parsing: .unconditional, help: "Timed runs per thread count, 1 to 1000 (the median is printed).")
        var repeats = 7

        func validate() throws {
            try OptionCheck.require(size, in: 1...8192, "--size")
            try OptionCheck.require(repeats, in: 1...1000, "--repeats")
        }

        func run() throws {
            BLASBenchmark.lines(size: size, repeats: repeats).forEach { print($0) }
        }
    }
}

extension MorphCommand.Bench {
    /// `morph bench render`: morph rendering speed (warp + blend, no encoding).
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Frames per second of morph rendering at SIZE x SIZE (median of runs).")

        @Option(parsing: .unconditional, help: "Frame side in pixels (16 to 4096).") var size = 720
        @Option(parsing: .unconditional, help: "Frames per run (1 to 100000).") var frames = 120
        @Option(parsing: .unconditional, help: "Runs, 1 to 1000 (the median is printed).") var runs = 5

        func validate() throws {
            try OptionCheck.require(size, in: 16...4096, "--size")
            try OptionCheck.require(frames, in: 1...100_000, "--frames")
            try OptionCheck.require(runs, in: 1...1000, "--runs")
        }

        func run() throws {
            print(try MorphBenchmark.line(size: size, frames: frames, runs: runs))
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
        @Option(parsing: .unconditional, help: "Passes over the photos, 2 to 100 (the first is a warm-up and not counted).") var passes = 3
        @Option(parsing: .unconditional, help: "Enlarge each photo to about this many megapixels first, 0.01 to 100 (a 4:3 JPEG, quality 90, in a temporary folder).")
        var megapixels: Double?
        @Option(help: "Which keypoint pass also sees the face mirrored: settling (as `morph detect`, no extra pass), last (one more pass) or none.")
        var mirroring = KeypointMirroring.settlingPass

        func validate() throws {
            guard !photos.isEmpty else { throw ValidationError("give at least one photo") }
            try OptionCheck.require(passes, in: 2...100, "--passes")
            try OptionCheck.require(megapixels, in: 0.01...100, "--megapixels")
        }

        func run() throws {
            try DetectBenchmark.lines(photos: photos, models: ModelFiles.folder(explicit: models), passes: passes,
                                      megapixels: megapixels, mirroring: mirroring).forEach { print($0) }
        }
    }
}

extension MorphCommand.Bench {
    /// `morph bench video`: the whole job on a collection of mixed sizes.
    struct Video: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time `morph PHOTOS -o video.mp4` end to end on COUNT photos enlarged to mixed sizes (up to 12 MP).")

        @Argument(help: "Photos to draw from (cycled).") var photos: [String]
        @Option(parsing: .unconditional, help: "How many photos the collection has (1 to 1000).") var count = 17
        @Option(help: "Model folder (default: the shipped models/).") var models: String?
        @Option(parsing: .unconditional, help: "Which face: auto, largest, center or N, as for `morph`.") var face = "auto"
        @OptionGroup var look: LookArguments

        func validate() throws {
            guard FaceChoice(argument: face) != nil else { throw ValidationError("--face must be auto, largest, center or a number") }
            guard !photos.isEmpty else { throw ValidationError("give at least one photo") }
            try OptionCheck.require(count, in: 1...1000, "--count")
        }

        func run() throws {
            var options = MorphVideoOptions()
            options.face = FaceChoice(argument: face)!
            look.apply(to: &options)
            try VideoBenchmark.lines(photos: photos, count: count, face: face, options: options,
                                     models: ModelFiles.folder(explicit: models)).forEach { print($0) }
        }
    }
}

extension MorphCommand.Bench {
    /// `morph bench people`: the grouping behind `morph detect --people` on large synthetic collections.
    struct People: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the grouping of `morph detect --people` on synthetic collections of N photos (embeddings only).",
            discussion: "The person is in 3 photos of 4, a friend in 1 of 4, one or two strangers in each photo; faces of one person meet at a cosine of about 0.5, strangers at about 0.")

        @Option(parsing: .unconditional, help: "Comma-separated photo counts (each 2 to 100000).") var photos = "250,500,1000,2000"

        /// The photo counts (nil: a part that is not a whole number).
        var photoCounts: [Int?] { photos.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) } }

        func validate() throws {
            guard !photoCounts.contains(nil) else {
                throw ValidationError("--photos must be comma-separated whole numbers, not \(photos)")
            }
            try photoCounts.forEach { try OptionCheck.require($0, in: 2...100_000, "--photos") }
        }

        func run() throws {
            PeopleGroupingBenchmark.lines(photoCounts: photoCounts.compactMap { $0 }).forEach { print($0) }
        }
    }
}
