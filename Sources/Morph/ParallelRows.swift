import Dispatch
import Foundation

/// Splits rows `0..<height` into contiguous bands and runs `body` on them across the CPU cores.
func forEachRowBand(height: Int, _ body: (Range<Int>) -> Void) {
    let bands = min(height, 2 * ProcessInfo.processInfo.activeProcessorCount)
    DispatchQueue.concurrentPerform(iterations: bands) { band in
        body(height * band / bands ..< height * (band + 1) / bands)
    }
}
