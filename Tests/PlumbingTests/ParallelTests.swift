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
