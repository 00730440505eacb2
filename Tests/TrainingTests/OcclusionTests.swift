import FaceAnalysis
import FaceData
import Imaging
import NeuralNet
import XCTest
@testable import Training

final class OcclusionTests: XCTestCase {
    /// The changed pixels of a grey image, as their bounding box and their count.
    private func changes(from before: Image, to after: Image) -> (box: (x: ClosedRange<Int>, y: ClosedRange<Int>), count: Int)? {
        var xs: [Int] = [], ys: [Int] = []
        for y in 0..<before.height {
            for x in 0..<before.width where before[x, y, 0] != after[x, y, 0] {
                xs.append(x)
                ys.append(y)
            }
        }
        guard let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max() else { return nil }
        return ((minX...maxX, minY...maxY), xs.count)
    }

    func testAnOcclusionIsOneRectangleOfNoiseWithinItsAreaAndAspectRanges() {
        let blank = Image(width: 64, height: 48, channels: 1, fill: 128)
        var shares: [Float] = []
        for seed in 0..<200 as Range<UInt64> {
            var rng = SplitMix64(seed: seed)
            var image = blank
            image.occludeRandomRectangle(&rng)
            guard let (box, count) = changes(from: blank, to: image) else { return XCTFail("seed \(seed): nothing hidden") }
            let boxArea = box.x.count * box.y.count
            XCTAssertGreaterThanOrEqual(Double(count), 0.9 * Double(boxArea), "seed \(seed): the hidden pixels fill a rectangle")
            let aspect = Float(box.x.count) / Float(box.y.count)
            XCTAssert((0.4...2.5).contains(aspect), "seed \(seed): aspect \(aspect)")
            shares.append(Float(boxArea) / Float(blank.pixelCount))
        }
        XCTAssertGreaterThanOrEqual(shares.min() ?? 0, 0.015)
        XCTAssertLessThanOrEqual(shares.max() ?? 1, 0.26)
        XCTAssertGreaterThan(shares.max() ?? 0, 0.2, "large rectangles are drawn too")
        XCTAssertLessThan(shares.min() ?? 1, 0.05, "small rectangles are drawn too")
    }

    func testATrainingCropIsOccludedAsOftenAsAsked() {
        let photo = Image(width: 80, height: 80, channels: 1, fill: 128)
        let cropper = FaceCropper(width: 32, height: 32)
        func hidden(_ augmentation: Augmentation) -> Int {
            var rng = SplitMix64(seed: 5)
            return (0..<100).filter { _ in
                let crop = cropper.crop(photo, center: Point(x: 40, y: 40), side: 40, augmentation: augmentation, rng: &rng)
                return crop.image.pixels.contains { $0 != 128 }
            }.count
        }
        XCTAssertEqual(hidden(.none), 0)
        XCTAssertEqual(hidden(Augmentation(occlusionProbability: 1)), 100)
        XCTAssert((30...70).contains(hidden(Augmentation(occlusionProbability: 0.5))))
    }

    func testTheOcclusionOptionIsTakenAsGivenAndTheRecipeHasNone() {
        let recipe = TrainingOptions.landmarksRecipe
        XCTAssertEqual(recipe.augmentation.occlusionProbability, 0)
        let given = recipe.overriding(epochs: nil, batchSize: nil, learningRate: nil, weightDecay: nil, loss: nil, seed: 1,
                                      augmentationStrength: 0.5, occlusionProbability: 0.5)
        XCTAssertEqual(given.augmentation.occlusionProbability, 0.5, "not scaled by the strength")
        XCTAssertEqual(given.augmentation.rotationDegrees, recipe.augmentation.rotationDegrees / 2)
        XCTAssertEqual(Augmentation(occlusionProbability: 0.4).scaled(by: 5).occlusionProbability, 1)
    }
}
