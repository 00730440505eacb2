import XCTest
@testable import FaceAnalysis

final class PersonTrackerTests: XCTestCase {
    /// A unit vector at `degrees` in the plane of the first two axes, `z` on the third.
    private func e(_ degrees: Double, _ z: Float = 0) -> [Float] {
        Embedding.unit([Float(cos(degrees * .pi / 180)), Float(sin(degrees * .pi / 180)), z])
    }

    func testTheCollectionsPersonIsFollowedThroughADriftingLookPastARecurringStranger() throws {
        // The person drifts 12 degrees a photo (0 -> 84); a stranger at 150 is in 5 of the 8 photos,
        // often as the first (largest) face.
        let photos: [[[Float]?]] = [[e(150), e(0)], [e(12)], [e(151), e(24)], [e(36), e(149)], [e(152), e(48)],
                                    [e(60)], [e(150), e(72)], [e(84)]]
        let picks = PersonTracker(threshold: 0.8).follow(photos)
        XCTAssertEqual(picks.map { $0?.face }, [1, 0, 1, 0, 1, 0, 1, 0])
        XCTAssertGreaterThan(try XCTUnwrap(picks[7]).similarity, 0.8)
        XCTAssertLessThan(Embedding.cosine(e(0), e(84)), 0.2)  // the first and last look are not alike at all
    }

    func testAStrangersPhotoThatComesTwiceDoesNotTakeThePersonsPlace() {
        // The person's six photos are 0.45 alike to each other; a stranger 0.30 alike to them is in photos 2
        // and 3 as one photo twice (cosine 1). Uncapped, the two copies outweigh the person's presence.
        func unit(_ parts: [(Float, Int)]) -> [Float] {
            var vector = [Float](repeating: 0, count: 16)
            for (weight, axis) in parts { vector[axis] += weight }
            return Embedding.unit(vector)
        }
        let person = (1...6).map { unit([(0.67, 0), (0.74, $0)]) }, stranger = unit([(0.45, 0), (0.89, 8)])
        let photos: [[[Float]?]] = [[person[0], unit([(1, 10)])], [person[1], unit([(1, 11)])], [stranger, person[2]],
                                    [stranger, person[3]], [person[4], unit([(1, 12)])], [person[5]]]
        XCTAssertEqual(Embedding.cosine(person[0], person[1]), 0.45, accuracy: 0.01)
        XCTAssertEqual(Embedding.cosine(person[0], stranger), 0.30, accuracy: 0.01)
        var tracker = PersonTracker(threshold: 0.15)
        let picks = tracker.follow(photos)
        XCTAssertEqual(picks.map { $0?.face }, [0, 0, 1, 1, 0, 0])
        XCTAssertEqual(picks.compactMap { $0?.similarity }.max() ?? 0, 0.40, accuracy: 0.01)  // 0.45 alike, counted as 0.40
        tracker.sureMargin = 1  // no cosine reaches the cap
        XCTAssertEqual(tracker.follow(photos).map { $0?.face }, [0, 0, 0, 0, 0, 0])  // the stranger in photos 2 and 3
    }

    func testAPhotoWithoutThePersonIsSkippedNotGivenAStranger() {
        let photos: [[[Float]?]] = [[e(0)], [e(5)], [e(100), e(200)], [e(3), nil], [nil]]
        let picks = PersonTracker(threshold: 0.8).follow(photos)
        XCTAssertEqual(picks.map { $0?.face }, [0, 0, nil, 0, nil])
    }

    func testAReferenceChoosesThePersonAmongTwoWhoAreEverywhere() {
        // Two people in every photo; the reference looks like the second.
        let photos: [[[Float]?]] = [[e(0), e(90)], [e(92), e(2)], [e(1), e(91)]]
        XCTAssertEqual(PersonTracker(threshold: 0.8).follow(photos, reference: e(89)).map { $0?.face }, [1, 0, 1])
        XCTAssertEqual(PersonTracker(threshold: 0.8).follow(photos, reference: e(-1)).map { $0?.face }, [0, 1, 0])
    }
}
