import XCTest
@testable import Imaging

final class OrientationTests: XCTestCase {
    /// Where the EXIF specification puts stored pixel (x, y) of a w x h image on display.
    private func displayed(_ x: Int, _ y: Int, w: Int, h: Int, orientation: Int) -> (Int, Int) {
        switch orientation {
        case 2: return (w - 1 - x, y)
        case 3: return (w - 1 - x, h - 1 - y)
        case 4: return (x, h - 1 - y)
        case 5: return (y, x)
        case 6: return (h - 1 - y, x)
        case 7: return (h - 1 - y, w - 1 - x)
        case 8: return (y, w - 1 - x)
        default: return (x, y)
        }
    }

    func testEveryOrientationFromPNGExif() throws {
        let stored = TestImages.uniquePixels(width: 4, height: 3)
        let png = try ImageFile.encodePNG(stored)
        for orientation in 1...8 {
            let file = TestImages.insertingEXIF(TestImages.exif(orientation: orientation), intoPNG: png)
            let decoded = try ImageFile.decode(file, name: "o\(orientation).png", mode: .grey)
            XCTAssertEqual(decoded.orientation, orientation)
            let upright = decoded.image
            XCTAssertEqual(orientation >= 5 ? [3, 4] : [4, 3], [upright.width, upright.height])
            for y in 0..<3 {
                for x in 0..<4 {
                    let (dx, dy) = displayed(x, y, w: 4, h: 3, orientation: orientation)
                    XCTAssertEqual(upright[dx, dy, 0], stored[x, y, 0], "orientation \(orientation) pixel \(x),\(y)")
                }
            }
        }
    }

    func testJPEGExifOrientationAndDate() throws {
        // 32x16: left half black, right half white; orientation 6 turns it so the top is black.
        var stored = Image(width: 32, height: 16, channels: 3)
        for y in 0..<16 { for x in 16..<32 { for c in 0..<3 { stored[x, y, c] = 255 } } }
        let jpeg = TestImages.insertingEXIF(TestImages.exif(orientation: 6, date: "2011:07:04 10:20:30"),
                                            intoJPEG: try ImageFile.encodeJPEG(stored, quality: 95))
        let decoded = try ImageFile.decode(jpeg, name: "rot.jpg")
        XCTAssertEqual(decoded.dateTimeOriginal, "2011:07:04 10:20:30")
        XCTAssertEqual([decoded.image.width, decoded.image.height], [16, 32])
        XCTAssertLessThan(decoded.image[8, 4, 0], 30)
        XCTAssertGreaterThan(decoded.image[8, 28, 0], 225)
    }

    func testDamagedExifIsIgnored() throws {
        var tiff = TestImages.exif(orientation: 6, date: "2011:07:04 10:20:30")
        tiff.removeLast(tiff.count - 12)  // the IFD runs past the end of the segment
        let jpeg = TestImages.insertingEXIF(tiff, intoJPEG: try ImageFile.encodeJPEG(TestImages.gradient()))
        let decoded = try ImageFile.decode(jpeg, name: "bad-exif.jpg")
        XCTAssertEqual(decoded.orientation, 1)
        XCTAssertNil(decoded.dateTimeOriginal)
    }
}
