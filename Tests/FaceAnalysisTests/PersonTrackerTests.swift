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
