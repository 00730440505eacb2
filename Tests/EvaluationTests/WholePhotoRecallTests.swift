import Imaging
import XCTest
@testable import Evaluation

final class WholePhotoRecallTests: XCTestCase {
    func testEachReportedFaceServesOneAnnotatedFaceLargestFirst() {
        let big = Box(x: 0, y: 0, width: 100, height: 100), inner = Box(x: 30, y: 30, width: 60, height: 60)
        let far = Box(x: 500, y: 500, width: 40, height: 40)
        // One reported box hits both annotated faces: the larger one takes it; the small far one is missed.
        let matches = WholePhotoRecall.match(reported: [Box(x: 35, y: 35, width: 55, height: 55)], truth: [inner, big, far])
        XCTAssertEqual(matches, [nil, 0, nil])
        XCTAssertEqual(WholePhotoRecall.match(reported: [Box(x: 501, y: 498, width: 44, height: 40), Box(x: 1, y: 1, width: 300, height: 300)],
                                              truth: [far, big]), [0, nil])  // a box centred off the face does not hit
        XCTAssertEqual(WholePhotoRecall.binLabels, ["< 48 px", "48-96 px", "96-192 px", "> 192 px"])
    }
}
