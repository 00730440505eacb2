import Foundation
import Imaging
import XCTest
@testable import Benchmarks

/// The measurements' plumbing, not their speed: tiny sizes, one run each.
final class BenchmarkTests: XCTestCase {
    func testEnlargedCopiesHaveTheAskedSizesAndALineReportsEachMeasurement() throws {
        let photo = NSTemporaryDirectory() + "bench-\(UUID().uuidString).png"
        try ImageFile.write(Image(width: 40, height: 30, channels: 3, fill: 120), to: photo)
        defer { try? FileManager.default.removeItem(atPath: photo) }
        let copies = try DetectBenchmark.enlarged([photo, photo], megapixels: [0.012, 0.048])
        defer { try? FileManager.default.removeItem(atPath: (copies[0] as NSString).deletingLastPathComponent) }
        let sizes = try copies.map { try ImageFile.size(of: $0) }
        XCTAssertEqual(sizes.map(\.width), [126, 252])
        XCTAssertEqual(sizes.map(\.height), [94, 189])

        XCTAssertTrue(try MorphBenchmark.line(size: 32, frames: 2, runs: 1).hasPrefix("render 32x32: "))
        XCTAssertEqual(BLASBenchmark.lines(size: 8, repeats: 1).map { $0.prefix(15) }, ["sgemm 8x8 kerne", "sgemm 8x8 kerne"])
        XCTAssertNil(EngineBenchmark.lines("no-such-workload"))
        XCTAssertEqual(EngineBenchmark.headerLines.first, "engine neuralnet")
    }

    func testTheSyntheticCollectionHoldsItsPeopleAndTheGroupingFindsThePerson() {
        let (embeddings, people) = PeopleGroupingBenchmark.collection(photos: 8, seed: 1)
        XCTAssertEqual(embeddings.map(\.count), [3, 3, 3, 1, 3, 3, 3, 1])
        XCTAssertEqual(people.joined().filter { $0 == 0 }.count, 6)
        XCTAssertEqual(people.joined().filter { $0 == 1 }.count, 2)
        XCTAssertEqual(Set(people.joined().filter { $0 > 1 }).count, 12, "every stranger appears once")
        let lines = PeopleGroupingBenchmark.lines(photoCounts: [40])
        XCTAssertEqual(lines.count, 1)
        XCTAssertTrue(lines[0].hasPrefix("40 photos, 100 faces: "), lines[0])
        XCTAssertTrue(lines[0].hasSuffix("the largest holds 30 of the person's 30 faces and 0 others"), lines[0])
    }
}
