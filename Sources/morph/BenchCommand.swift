import ArgumentParser
import NeuralNet

extension MorphCommand {
    /// `morph bench`: micro-benchmarks behind `make bench`.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the speed of the building blocks (used by `make bench`).",
            subcommands: [Sgemm.self])
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

        func run() throws {
            for threads in [1, 2] {
                let rate = BLASBenchmark.sgemmGFLOPS(size: size, threads: threads, repeats: repeats)
                print("sgemm \(size)x\(size) kernels=\(BLASRuntime.coreName) threads=\(threads): "
                      + String(format: "%.1f GFLOP/s", rate))
            }
        }
    }
}
