import Foundation

/// Splitting of element-wise work across the CPU cores.
enum Parallel {
    /// Cores available to this process.
    static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body` on consecutive sub-ranges of `0..<count`, in parallel when each range gets at
    /// least `grain` items (serially otherwise, where thread hand-off would cost more).
    static func forEach(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = min(cores * 4, count / max(grain, 1))
        if chunks <= 1 || cores == 1 {
            if count > 0 { body(0..<count) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            body((count * chunk / chunks)..<(count * (chunk + 1) / chunks))
        }
    }
}
