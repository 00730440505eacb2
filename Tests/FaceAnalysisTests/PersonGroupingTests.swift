import XCTest
@testable import FaceAnalysis

final class PersonGroupingTests: XCTestCase {
    /// A unit vector at `degrees` in the plane of the first two axes, with `z` on the third.
    private func e(_ degrees: Double, _ z: Float = 0) -> [Float] {
        Embedding.unit([Float(cos(degrees * .pi / 180)), Float(sin(degrees * .pi / 180)), z])
    }

    func testThePersonInTheMostPhotosIsFollowedThroughADriftingLook() {
        // A drifts 4 degrees a photo (0 -> 28: first and last under the threshold, the mean over all
        // pairs above it); B, nearly the same look throughout, is in 3 photos; C in one.
        var photos: [[[Float]?]] = (0..<8).map { [e(4 * Double($0))] }
        for (photo, degrees) in [(0, 150.0), (3, 140), (6, 145)] { photos[photo].append(e(degrees)) }
        photos[5].append(e(270))
        let people = PersonGrouping(threshold: 0.9).people(photos)
        XCTAssertEqual(people[0], (0..<8).map { FaceReference(photo: $0, face: 0) })
        XCTAssertEqual(people[1], [FaceReference(photo: 0, face: 1), .init(photo: 3, face: 1), .init(photo: 6, face: 1)])
        XCTAssertEqual(people.count, 3)
        XCTAssertLessThan(Embedding.cosine(e(0), e(28)), 0.9)
    }

    func testStrangersAreNotChainedThroughAFaceBetweenThem() {
        // a-b and b-c reach the threshold, a-c is far below: one pair joins, the third face stays alone.
        let photos: [[[Float]?]] = [[e(0)], [e(25)], [e(50)]]
        XCTAssertGreaterThan(Embedding.cosine(e(0), e(25)), 0.9)
        let people = PersonGrouping(threshold: 0.9).people(photos)
        XCTAssertEqual(people.map(\.count), [2, 1])
        XCTAssertTrue(people[0].contains(FaceReference(photo: 1, face: 0)), "the face between them is in the pair: \(people)")
    }

    func testOnePersonAppearsOnceInAPhotoAndUnembeddedFacesStayAlone() {
        // Twins (nearly the same embedding) in photo 0; photo 1 has one of them: only one twin joins it.
        let photos: [[[Float]?]] = [[e(10), e(11)], [e(10.5), nil]]
        let people = PersonGrouping(threshold: 0.9).people(photos)
        for group in people { XCTAssertEqual(Set(group.map(\.photo)).count, group.count, "\(group)") }
        XCTAssertEqual(people[0].count, 2)
        XCTAssertFalse(people.joined().contains(FaceReference(photo: 1, face: 1)))
    }

    func testFacesFarApartInTheOrderStillJoin() {
        // One person in photos 0 and 300 only: nothing between them, far apart in the order.
        var photos = [[[Float]?]](repeating: [], count: 301)
        photos[0] = [e(0)]
        photos[300] = [e(5), e(90)]
        let people = PersonGrouping(threshold: 0.9).people(photos)
        XCTAssertEqual(people.first, [FaceReference(photo: 0, face: 0), .init(photo: 300, face: 0)])
        XCTAssertEqual(people.count, 2)
    }

    func testNearbyPhotosNeedALittleLess() {
        let photos: [[[Float]?]] = [[e(0)], [e(27)]]   // cosine 0.891: under 0.9, over 0.9 - 0.05
        XCTAssertEqual(PersonGrouping(threshold: 0.9).people(photos).count, 1)
        var far = PersonGrouping(threshold: 0.9)
        far.nearby = 0
        XCTAssertEqual(far.people(photos).count, 2)
    }
}
