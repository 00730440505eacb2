import Foundation
import Synchronization

/// Worker threads that run the chunks of `Parallel.forEach` with the calling thread. Between jobs
/// each worker polls for the next one for a short while (yielding the core on every poll), then
/// sleeps: a network pass is hundreds of parallel loops back to back, and handing each over by
/// waking a sleeping thread (as `DispatchQueue.concurrentPerform` does) costs 5-10 microseconds.
final class ThreadTeam: @unchecked Sendable {
    /// The team of `Parallel.forEach`: one worker per core besides the caller's.
    static let shared = ThreadTeam(workers: Parallel.cores - 1)

    /// How long an idle worker polls before it sleeps. Measured: batch-1 inference gains the same with
    /// 50 and 200 us (and about 5% less with none), and one epoch of the 68-point recipe took 57-61 s
    /// with 50 us against 62-66 s with 200 us, whose polling takes the core from the threads that
    /// build the next batch.
    private static let pollingTime: Duration = .microseconds(50)

    /// One call's work: `body(chunk)` for every chunk in `0..<count`, handed out one at a time.
    private final class Job {
        let body: (Int) -> Void
        let count: Int
        let next = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        /// Workers that took the job and may still touch it.
        let helpers = Atomic<Int>(0)

        init(count: Int, body: @escaping (Int) -> Void) {
            self.count = count
            self.body = body
        }

        /// Runs chunks until none is left.
        func work() {
            while true {
                let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard chunk < count else { return }
                body(chunk)
                finished.wrappingAdd(1, ordering: .releasing)
            }
        }
    }

    private let busy = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let wakeUp = NSCondition()
    private let jobLock = NSLock()
    private var current: Job?  // guarded by jobLock

    private init(workers: Int) {
        for index in 0..<max(0, workers) {
            let thread = Thread { [unowned self] in self.serve() }
            thread.name = "morph.team.\(index)"
            thread.start()
        }
    }

    /// Runs `body(chunk)` for every chunk of `0..<count` on the team and the calling thread; returns
    /// false, without running anything, when the team is already serving a caller (another thread's,
    /// or an enclosing loop's when `body` itself runs a parallel loop).
    func run(_ count: Int, _ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        withoutActuallyEscaping(body) { body in share(Job(count: count, body: body)) }
        busy.store(false, ordering: .releasing)
        return true
    }

    private func share(_ job: Job) {
        jobLock.withLock { current = job }
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 { wakeUp.withLock { wakeUp.broadcast() } }
        job.work()
        while job.finished.load(ordering: .acquiring) < job.count { pause() }
        jobLock.withLock { current = nil }
        while job.helpers.load(ordering: .acquiring) > 0 { pause() }
    }

    /// A worker's life: wait for a new generation, help with its job, repeat.
    private func serve() {
        let clock = ContinuousClock()
        var seen = generation.load(ordering: .sequentiallyConsistent)
        while true {
            let deadline = clock.now + Self.pollingTime
            while generation.load(ordering: .sequentiallyConsistent) == seen && clock.now < deadline { pause() }
            if generation.load(ordering: .sequentiallyConsistent) == seen { sleep(untilAfter: seen) }
            seen = generation.load(ordering: .sequentiallyConsistent)
            // Taken under the lock, so the caller cannot finish and drop the job in between; unretained,
            // so only the caller's reference keeps it (and the closure it wraps) alive.
            let job: Unmanaged<Job>? = jobLock.withLock {
                guard let current else { return nil }
                current.helpers.wrappingAdd(1, ordering: .relaxed)
                return Unmanaged.passUnretained(current)
            }
            guard let job else { continue }
            job._withUnsafeGuaranteedRef { job in
                job.work()
                job.helpers.wrappingSubtract(1, ordering: .releasing)
            }
        }
    }

    private func sleep(untilAfter seen: Int) {
        wakeUp.lock()
        sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
        while generation.load(ordering: .sequentiallyConsistent) == seen { wakeUp.wait() }
        sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
        wakeUp.unlock()
    }

    /// Gives the core to any other runnable thread (OpenBLAS's workers share these cores).
    private func pause() { sched_yield() }
}
