import XCTest
import Imaging
@testable import Morph

/// Background fill, colour harmonisation and the smoothness figures.
final class LookTests: XCTestCase {
    /// A 48x48 "face": a skin-toned disc with a fixed-seed texture on a darker background, no pure black.
    private func face(seed: UInt64, cast: SIMD3<Double> = [1, 1, 1], grey: Bool = false) -> Image {
        var random = SeededRandom(seed: seed)
        var image = Image(width: 48, height: 48, channels: 3)
        for y in 0..<48 {
            for x in 0..<48 {
                let inside = (Double(x) - 24) * (Double(x) - 24) + (Double(y) - 24) * (Double(y) - 24) < 400
                let base: SIMD3<Double> = inside ? [200, 150, 125] : [60, 90, 80]
                var rgb = (base + SIMD3(repeating: 30 * random.unit() - 15)) * cast
                if grey { rgb = SIMD3(repeating: 0.299 * rgb.x + 0.587 * rgb.y + 0.114 * rgb.z) }
                for c in 0..<3 { image[x, y, c] = UInt8(min(max(rgb[c].rounded(), 1), 255)) }
            }
        }
        return image
    }

    private let region = Box(x: 14, y: 14, width: 20, height: 20)

    private func blackPixels(_ image: Image) -> Int {
        (0..<image.pixelCount).filter { image.pixels[3 * $0] == 0 && image.pixels[3 * $0 + 1] == 0 && image.pixels[3 * $0 + 2] == 0 }.count
    }

    func testBlurredBackgroundLeavesNoBlackPixel() throws {
        let photo = face(seed: 1)
        // Turned by 15 degrees and shrunk: the photo covers about a third of the frame.
        let map = AffineTransform.translation(40, 30).concatenating(after: .rotation(0.26)).concatenating(after: .scale(0.9, 0.9))
        let black = try FaceAligner(width: 96, height: 96, background: .black).warp(photo, frameFromPhoto: map)
        let blurred = try FaceAligner(width: 96, height: 96, background: .blur).warp(photo, frameFromPhoto: map)
        let extended = try FaceAligner(width: 96, height: 96, background: .extend).warp(photo, frameFromPhoto: map)
        XCTAssertGreaterThan(blackPixels(black), 96 * 96 / 3, "the photo leaves much of the frame uncovered")
        XCTAssertEqual(blackPixels(blurred), 0)
        XCTAssertEqual(blackPixels(extended), 0)
        // Inside the photo the fill changes nothing.
        let inside = map.apply(Point(x: 24, y: 24))
        let (x, y) = (Int(inside.x.rounded()), Int(inside.y.rounded()))
        for c in 0..<3 {
            XCTAssertEqual(blurred[x, y, c], extended[x, y, c])
            XCTAssertEqual(black[x, y, c], extended[x, y, c])
        }
        XCTAssertNotEqual(blurred.pixels, extended.pixels, "far outside the photo the fill is blurred")
    }

    func testLabRoundTripsSRGB() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<2000 {
            let rgb = (0..<3).map { _ in UInt8(random.unit() * 255.99) }
            let back = LabColour.rgb(LabColour.lab(r: rgb[0], g: rgb[1], b: rgb[2]))
            XCTAssertLessThanOrEqual(abs(Int(back.0) - Int(rgb[0])), 1)
            XCTAssertLessThanOrEqual(abs(Int(back.1) - Int(rgb[1])), 1)
            XCTAssertLessThanOrEqual(abs(Int(back.2) - Int(rgb[2])), 1)
        }
        let white = LabColour.lab(r: 255, g: 255, b: 255)
        XCTAssertEqual(Double(white.x), 100, accuracy: 0.01)
        XCTAssertEqual(Double(LabColour.deltaE(white, LabColour.lab(r: 0, g: 0, b: 0))), 100, accuracy: 0.01)
    }

    func testIdenticalOrConsistentCollectionIsLeftUnchanged() {
        let same = Array(repeating: ColourStatistics(of: face(seed: 3), in: region), count: 6)
        XCTAssertEqual(ColourHarmonizer().transfers(for: same).compactMap { $0 }.count, 0)
        // The same scene with a different texture draw in each photo: differences far under the dead zone.
        let consistent = (0..<6).map { ColourStatistics(of: face(seed: UInt64(10 + $0)), in: region) }
        XCTAssertEqual(ColourHarmonizer().transfers(for: consistent).compactMap { $0 }.count, 0)
    }

    func testColourCastIsMostlyRemoved() throws {
        var photos = (0..<7).map { face(seed: UInt64(20 + $0)) }
        photos[3] = face(seed: 23, cast: [1.1, 0.95, 0.7])  // a yellowed, slightly dim print
        let statistics = photos.map { ColourStatistics(of: $0, in: region) }
        let others = statistics.enumerated().filter { $0.offset != 3 }.map(\.element.mean)
        let target = others.reduce(SIMD3<Double>(), +) / Double(others.count)
        func distance(_ mean: SIMD3<Double>) -> Double { ((mean - target) * (mean - target)).sum().squareRoot() }
        let before = distance(statistics[3].mean)
        let transfer = try XCTUnwrap(ColourHarmonizer().transfers(for: statistics)[3])
        transfer.apply(to: &photos[3])
        let after = distance(ColourStatistics(of: photos[3], in: region).mean)
        XCTAssertGreaterThan(before, 10, "the cast is strong")
        XCTAssertLessThan(after, 0.4 * before, "before \(before), after \(after)")
    }

    func testGreyPhotoGainsLittleColour() throws {
        var photos = (0..<5).map { face(seed: UInt64(40 + $0)) }
        photos[2] = face(seed: 42, grey: true)
        let statistics = photos.map { ColourStatistics(of: $0, in: region) }
        XCTAssertLessThan(statistics[2].chroma, 1)
        XCTAssertGreaterThan(statistics[0].chroma, 15)
        if let transfer = ColourHarmonizer().transfers(for: statistics)[2] { transfer.apply(to: &photos[2]) }
        let chroma = ColourStatistics(of: photos[2], in: region).chroma
        XCTAssertLessThanOrEqual(chroma, ColourHarmonizer().chromaGain + 1.5)
    }

    func testDarkeningTransferMakesNoPureBlackOrWhite() {
        var image = face(seed: 50)
        image.pixels.replaceSubrange(0..<6, with: [0, 0, 0, 255, 255, 255])
        XCTAssertEqual(blackPixels(image), 1)
        let before = ColourStatistics(of: image, in: region).mean
        ColourTransfer(centre: before, gain: [1.45, 1, 1], shift: [-15, 0, 0]).apply(to: &image)
        XCTAssertEqual(blackPixels(image), 0)
        XCTAssertFalse(image.pixels[3...5].allSatisfy { $0 == 255 }, "white is rolled off too")
        XCTAssertEqual(ColourStatistics(of: image, in: region).mean.x, before.x - 15, accuracy: 1)
    }

    func testMeterMeasuresColourStepsAndBlackShare() {
        let grey = Image(width: 10, height: 10, channels: 3, fill: 128)
        var red = Image(width: 10, height: 10, channels: 3, fill: 128)
        for i in 0..<100 { red.pixels[3 * i] = 200 }
        red.pixels[0...2] = [0, 0, 0]  // one black pixel, outside the region
        let region = Box(x: 2, y: 2, width: 6, height: 6)
        var meter = SmoothnessMeter(region: region)
        meter.add(grey, holdOf: 0)
        meter.add(grey, holdOf: 0)
        meter.add(Image(width: 10, height: 10, channels: 3), holdOf: nil)  // a black transition frame
        meter.add(red, holdOf: 1)
        let step = Double(LabColour.deltaE(LabColour.lab(r: 128, g: 128, b: 128), LabColour.lab(r: 200, g: 128, b: 128)))
        let result = meter.result
        XCTAssertEqual(result.meanColourSteps.count, 1)
        XCTAssertEqual(result.meanColourSteps[0], step, accuracy: 1e-3)
        XCTAssertEqual(result.pixelSteps[0], step, accuracy: 1e-3)
        XCTAssertEqual(result.blackShare, 101.0 / 400, accuracy: 1e-12)
    }
}
