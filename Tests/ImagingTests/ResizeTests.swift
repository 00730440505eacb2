import XCTest
@testable import Imaging

final class ResizeTests: XCTestCase {
    func testConstantStaysConstant() {
        let constant = Image(width: 37, height: 23, channels: 3, fill: 173)
        for (w, h) in [(10, 7), (100, 51), (37, 5), (3, 90)] {
            let resized = constant.resized(width: w, height: h)
            XCTAssertEqual([resized.width, resized.height], [w, h])
            XCTAssertTrue(resized.pixels.allSatisfy { $0 == 173 }, "\(w)x\(h)")
        }
    }

    func testRampStaysRamp() {
        var ramp = Image(width: 256, height: 4, channels: 1)
        for y in 0..<4 { for x in 0..<256 { ramp[x, y, 0] = UInt8(x) } }
        for target in [100, 64, 300, 512] {
            let resized = ramp.resized(width: target, height: 4)
            let scale = 256.0 / Double(target)
            for x in 0..<target {
                // Each output sample sits at the centre of the source interval it covers.
                let expected = min(255, max(0, (Double(x) + 0.5) * scale - 0.5))
                XCTAssertEqual(Double(resized[x, 2, 0]), expected, accuracy: 1.01, "target \(target) x \(x)")
            }
        }
    }

    func testShrinkAveragesAreas() {
        let checker = Image(width: 4, height: 2, channels: 1, pixels: [0, 255, 0, 255, 255, 0, 255, 0])
        XCTAssertEqual(checker.resized(width: 2, height: 1).pixels, [128, 128])
    }

    func testCropConvertAndPlanes() {
        let image = TestImages.gradient(width: 8, height: 6)
        let crop = image.cropped(x: 2, y: 1, width: 3, height: 2)
        XCTAssertEqual(crop[0, 0, 0], image[2, 1, 0])
        XCTAssertEqual(crop[2, 1, 1], image[4, 2, 1])
        let grey = Image(width: 2, height: 1, channels: 3, pixels: [255, 255, 255, 255, 0, 0]).converted(to: .grey)
        XCTAssertEqual(grey.pixels, [255, 77])
        let planes = Image(width: 2, height: 1, channels: 3, pixels: [255, 0, 51, 0, 255, 102]).floatPlanes()
        XCTAssertEqual(planes, [1, 0, 0, 1, 0.2, 0.4], accuracy: 1e-6)
    }

    func testContactSheetPlacesEveryImage() {
        let images = (0..<5).map { Image(width: 20, height: 10, channels: 3, fill: UInt8(50 * $0 + 10)) }
        let sheet = ContactSheet.make(images, columns: 3, cell: 20, padding: 2, background: 0)
        XCTAssertEqual([sheet.width, sheet.height], [3 * 20 + 4 * 2, 2 * 20 + 3 * 2])
        XCTAssertEqual(sheet[2 + 10, 2 + 10, 0], 10)
        XCTAssertEqual(sheet[2 + 22 + 10, 2 + 22 + 10, 0], 210)
    }
}

private func XCTAssertEqual(_ a: [Float], _ b: [Float], accuracy: Float, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
