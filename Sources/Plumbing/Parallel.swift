import Dispatch
import Foundation

/// Splitting of work across the CPU cores into contiguous ranges of indices: the network engine's
/// element-wise loops, image rows, a batch's samples.
public enum Parallel {
    /// Cores available to this process.
    public static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body` on consecutive sub-ranges of `0..<count`, at most `chunksPerCore` per core, in
    /// parallel when each range gets at least `grain` items (serially otherwise, where thread
    /// hand-off would cost more). The chunks run on the `ThreadTeam` when it is free.
    public static func forEach(_ count: Int, grain: Int = 1, chunksPerCore: Int = 4, _ body: (Range<Int>) -> Void) {
        let chunks = min(cores * chunksPerCore, count / max(grain, 1))
        if chunks <= 1 || cores == 1 {
            if count > 0 { body(0..<count) }
            return
        }
        let run = { (chunk: Int) in body((count * chunk / chunks)..<(count * (chunk + 1) / chunks)) }
        if ThreadTeam.shared.run(chunks, run) { return }
        DispatchQueue.concurrentPerform(iterations: chunks, execute: run)
    }

    /// Calls `body(index)` for every index of `0..<count`, split into ranges as `forEach` does.
    @inlinable
    public static func forEachIndex(_ count: Int, grain: Int = 1, chunksPerCore: Int = 4, _ body: (Int) -> Void) {
        forEach(count, grain: grain, chunksPerCore: chunksPerCore) { range in
            for index in range { body(index) }
        }
    }

    /// `transform(index)` for every index of `0..<count`, each a task of its own on all cores, in index order.
    public static func map<T>(_ count: Int, _ transform: (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { slots in
            let slots = slots
            DispatchQueue.concurrentPerform(iterations: count) { index in
                slots[index] = transform(index)
            }
        }
        return results.map { $0! }
    }
}
