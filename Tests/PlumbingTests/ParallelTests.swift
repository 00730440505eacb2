import Foundation
import XCTest
@testable import Plumbing

final class ParallelTests: XCTestCase {
    func testEveryIndexIsVisitedOnceWhateverTheSplit() {
        for (count, grain, chunksPerCore) in [(0, 1, 4), (1, 1, 4), (7, 1, 2), (1000, 16, 4), (1000, 32, 1), (100, 1000, 4)] {
            let visits = UnsafeMutablePointer<Int>.allocate(capacity: max(count, 1))
            visits.initialize(repeating: 0, count: max(count, 1))
            defer { visits.deallocate() }
            Parallel.forEach(count, grain: grain, chunksPerCore: chunksPerCore) { range in
                for index in range { visits[index] += 1 }
            }
            XCTAssertEqual(Array(UnsafeBufferPointer(start: visits, count: count)), [Int](repeating: 1, count: count),
                           "count \(count), grain \(grain)")
        }
    }

    func testLoopsInsideLoopsAndLoopsFromSeveralThreadsVisitEveryIndexOnce() {
        // Nested loops (the team is busy with the outer one) and callers on other threads (they find it
        // busy) fall back to Dispatch; every index must still be visited exactly once, many times over.
        let outer = 8, inner = 1000, rounds = 200
        let visits = UnsafeMutablePointer<Int>.allocate(capacity: outer * inner)
        visits.initialize(repeating: 0, count: outer * inner)
        defer { visits.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 3) { caller in
            for _ in 0..<rounds {
                Parallel.forEach(outer, grain: 1) { rows in
                    for row in rows {
                        Parallel.forEach(inner, grain: 16) { columns in
                            for column in columns where column % 3 == caller { visits[row * inner + column] += 1 }
                        }
                    }
                }
            }
        }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: visits, count: outer * inner)),
                       [Int](repeating: rounds, count: outer * inner))
    }

    func testTheTeamRunsEveryChunkOfBackToBackJobsOnce() {
        let chunks = 7
        var totals = [Int](repeating: 0, count: chunks)
        totals.withUnsafeMutableBufferPointer { totals in
            let totals = totals
            for job in 0..<5000 {
                let ran = ThreadTeam.shared.run(chunks) { chunk in totals[chunk] += job }
                XCTAssertTrue(ran, "the team is free between jobs")
            }
        }
        XCTAssertEqual(totals, [Int](repeating: (0..<5000).reduce(0, +), count: chunks))
    }

    func testMapKeepsTheIndexOrder() {
        XCTAssertEqual(Parallel.map(100) { $0 * $0 }, (0..<100).map { $0 * $0 })
        XCTAssertEqual(Parallel.map(0) { $0 }, [])
    }

    func testAWorkerPoolGivesEachItemToOneWorkerAndKeepsTheOrder() {
        let lock = NSLock()
        var finished = [Int]()
        let results = WorkerPool.map(50, states: ["a", "b"], finished: { finished.append($0) }) { worker, index in
            lock.lock()
            defer { lock.unlock() }
            return "\(index)\(worker)"
        }
        XCTAssertEqual(results.map { String($0.dropLast()) }, (0..<50).map(String.init))
        XCTAssertEqual(finished, Array(1...50))
    }

    func testDurationsReadAsHoursMinutesOrSeconds() {
        XCTAssertEqual(ProgressReporter.duration(12.4), "12s")
        XCTAssertEqual(ProgressReporter.duration(187), "3m07s")
        XCTAssertEqual(ProgressReporter.duration(3720), "1h02m")
    }
}
