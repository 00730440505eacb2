import XCTest
@testable import FaceAnalysis

final class PersonGroupingTests: XCTestCase {
    /// A unit vector at `degrees` in the plane of the first two axes, with `z` on the third.
    private func e(_ degrees: Double, _ z: Float = 0) -> [Float] {
        Embedding.unit([Float(cos(degrees * .pi / 180)), Float(sin(degrees * .pi / 180)), z])
    }

    func testThePersonInTheMostPhotosIsFollowedThroughADriftingLook() {
        // A drifts 20 degrees a photo (0 -> 80: first and last are far apart, neighbours close);
        // B, always the same look, is in 3 photos; C in one.
        let photos: [[[Float]?]] = [[e(0), e(150)], [e(140), e(20)], [e(40)], [e(60), e(145), e(270)], [e(80)]]
        let people = PersonGrouping(threshold: 0.9).people(photos)
        XCTAssertEqual(people[0], [FaceReference(photo: 0, face: 0), .init(photo: 1, face: 1), .init(photo: 2, face: 0),
                                   .init(photo: 3, face: 0), .init(photo: 4, face: 0)])
        XCTAssertEqual(people[1], [FaceReference(photo: 0, face: 1), .init(photo: 1, face: 0), .init(photo: 3, face: 1)])
        XCTAssertEqual(people.count, 3)
        XCTAssertLessThan(Embedding.cosine(e(0), e(80)), 0.9)
    }

    func testOnePersonAppearsOnceInAPhotoAndUnembeddedFacesStayAlone() {
        // Twins (nearly the same embedding) in photo 0; photo 1 has one of them: only one twin joins it.
        let photos: [[[Float]?]] = [[e(10), e(11)], [e(10.5), nil]]
        let people = PersonGrouping(threshold: 0.9).people(photos)
        for group in people { XCTAssertEqual(Set(group.map(\.photo)).count, group.count, "\(group)") }
        XCTAssertEqual(people[0].count, 2)
        XCTAssertFalse(people.joined().contains(FaceReference(photo: 1, face: 1)))
    }

    func testNearbyPhotosNeedALittleLess() {
        let photos: [[[Float]?]] = [[e(0)], [e(27)]]   // cosine 0.891: under 0.9, over 0.9 - 0.05
        XCTAssertEqual(PersonGrouping(threshold: 0.9).people(photos).count, 1)
        var far = PersonGrouping(threshold: 0.9)
        far.nearby = 0
        XCTAssertEqual(far.people(photos).count, 2)
    }
}
