import CBLAS
import Foundation
import NeuralNet
import Plumbing

/// A timing of OpenBLAS's single-precision matrix product, to show which kernels are in use.
public enum BLASBenchmark {
    /// Median GFLOP/s of `size` x `size` x `size` sgemm over `repeats` runs on `threads` threads.
    public static func sgemmGFLOPS(size: Int = 1024, threads: Int, repeats: Int = 7) -> Double {
        let previous = BLASRuntime.threadCount
        BLASRuntime.threadCount = threads
        defer { BLASRuntime.threadCount = previous }
        let a = [Float](repeating: 0.5, count: size * size), b = [Float](repeating: 0.25, count: size * size)
        var c = [Float](repeating: 0, count: size * size)
        let n = Int32(size)
        func run() {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, &c, n)
        }
        run()  // warm-up: thread start and page faults
        var rates = [Double]()
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            run()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            rates.append(2 * Double(size * size * size) / seconds / 1e9)
        }
        return rates.median
    }

    /// `morph bench sgemm`: one line per thread count (1 and 2) with the kernels in use.
    public static func lines(size: Int, repeats: Int) -> [String] {
        [1, 2].map { threads in
            let rate = sgemmGFLOPS(size: size, threads: threads, repeats: repeats)
            return "sgemm \(size)x\(size) kernels=\(BLASRuntime.coreName) threads=\(threads): " + String(format: "%.1f GFLOP/s", rate)
        }
    }
}
