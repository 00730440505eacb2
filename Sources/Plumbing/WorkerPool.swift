import Dispatch
import Foundation

/// Work spread over a few threads, each with its own state (a network whose buffers serve one
/// thread, an analyser): items are handed out one at a time, results come back in item order.
public enum WorkerPool {
    /// `work(state, index)` for every index in `0..<count`, on one thread per element of `states`;
    /// `finished(done)` runs after each item (under a lock, so it may report progress).
    public static func map<State, Result>(_ count: Int, states: [State], finished: ((Int) -> Void)? = nil,
                                          _ work: (State, Int) -> Result) -> [Result] {
        precondition(!states.isEmpty, "a worker pool needs at least one worker")
        var results = [Result?](repeating: nil, count: count)
        let lock = NSLock()
        var next = 0, done = 0
        results.withUnsafeMutableBufferPointer { slots in
            let slots = slots
            DispatchQueue.concurrentPerform(iterations: min(states.count, max(count, 1))) { worker in
                while true {
                    lock.lock()
                    let index = next
                    next += 1
                    lock.unlock()
                    guard index < count else { return }
                    let result = work(states[worker], index)
                    lock.lock()
                    slots[index] = result
                    done += 1
                    finished?(done)
                    lock.unlock()
                }
            }
        }
        return results.map { $0! }
    }
}
