import Imaging
import Morph
import XCTest
@testable import Pipeline

final class CaptionTests: XCTestCase {
    func testCaptionTextComesFromEXIF() {
        let exif = EXIFInfo(orientation: 1, dateTimeOriginal: "2009:07:14 10:30:00")
        XCTAssertEqual(CaptionStyle(argument: "date").text(path: "/photos/IMG_1.jpg", exif: exif), "2009-07-14")
        XCTAssertEqual(CaptionStyle(argument: "year").text(path: "/photos/IMG_1.jpg", exif: exif), "2009")
        XCTAssertEqual(CaptionStyle(argument: "name").text(path: "/photos/IMG_1.jpg", exif: exif), "IMG_1")
        XCTAssertEqual(CaptionStyle(argument: "{name}, {year}").text(path: "/photos/IMG_1.jpg", exif: exif), "IMG_1, 2009")
        XCTAssertEqual(CaptionStyle(argument: "year").text(path: "/photos/IMG_1.jpg", exif: EXIFInfo()), "", "no date, no caption")
        XCTAssertEqual(CaptionStyle(argument: "none"), .none)
    }

    func testCaptionsAreAntialiasedInTheCornerAndFadeWithTheDissolve() throws {
        let frame = Image(width: 320, height: 240, channels: 3, fill: 100)
        let captions = try Captions(["2009-07-14", ""], width: 320, height: 240)
        let held = captions.draw(on: frame, showing: .hold(photo: 0), easing: .linear)
        let changed = (0..<frame.pixelCount).filter { held.pixels[3 * $0] != 100 }
        XCTAssertGreaterThan(changed.count, 100)
        XCTAssertTrue(changed.allSatisfy { $0 % 320 > 160 && $0 / 320 > 180 }, "only the bottom-right corner")
        let levels = Set(changed.map { held.pixels[3 * $0] })
        XCTAssertTrue(levels.contains { $0 > 230 }, "white text")
        XCTAssertGreaterThan(levels.filter { $0 > 110 && $0 < 220 }.count, 20, "antialiased edges")
        let halfway = captions.draw(on: frame, showing: .transition(pair: 0, t: 0.5), easing: .linear)
        XCTAssertLessThan(halfway.pixels.max()!, 200, "half faded")
        XCTAssertGreaterThan(halfway.pixels.max()!, 150)
        XCTAssertEqual(captions.draw(on: frame, showing: .hold(photo: 1), easing: .linear), frame, "an empty caption draws nothing")
    }

    func testMissingFontNamesTheFile() {
        XCTAssertThrowsError(try Captions(["x"], width: 64, height: 64, font: "/nonexistent/font.ttf")) {
            XCTAssertTrue("\($0)".contains("/nonexistent/font.ttf"))
        }
    }
}
