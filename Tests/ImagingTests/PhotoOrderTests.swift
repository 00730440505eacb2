import XCTest
@testable import Imaging

final class PhotoOrderTests: XCTestCase {
    func testNaturalNameOrder() {
        let names = ["img10.jpg", "me_2011_1.jpg", "img9.jpg", "dir/me_2011_0.jpg", "IMG2.jpg", "img010b.jpg"]
        XCTAssertEqual(PhotoOrder.name.sorted(names) { _ in nil },
                       ["IMG2.jpg", "img9.jpg", "img10.jpg", "img010b.jpg", "dir/me_2011_0.jpg", "me_2011_1.jpg"])
    }

    func testDateOrderOnlyWhenEveryPhotoHasADate() {
        let dates = ["a.jpg": "2015:01:01 00:00:00", "b.jpg": "2010:06:01 12:00:00", "c.jpg": "2012:03:03 08:00:00"]
        XCTAssertEqual(PhotoOrder.auto.sorted(["a.jpg", "b.jpg", "c.jpg"]) { dates[$0] }, ["b.jpg", "c.jpg", "a.jpg"])
        XCTAssertEqual(PhotoOrder.auto.sorted(["a.jpg", "b.jpg", "d.jpg"]) { dates[$0] }, ["a.jpg", "b.jpg", "d.jpg"])
        XCTAssertEqual(PhotoOrder.date.sorted(["a.jpg", "d.jpg", "b.jpg"]) { dates[$0] }, ["b.jpg", "a.jpg", "d.jpg"])
        XCTAssertEqual(PhotoOrder.given.sorted(["c.jpg", "a.jpg"]) { dates[$0] }, ["c.jpg", "a.jpg"])
    }
}
