import Imaging
import NeuralNet
import Training
import XCTest
@testable import DetectorTraining
@testable import FaceAnalysis

final class FaceFinderTrainingTests: XCTestCase {
    func testTargetsEncodeAndDecodeTheSameBox() {
        let grid = 8, stride = Double(FaceFinderNetwork.stride)
        let box = Box(x: 40, y: 50, width: 30, height: 36)  // centre (55, 68): cell (3, 4)
        var planes = [Float](repeating: 0, count: 5 * grid * grid)
        planes.withUnsafeMutableBufferPointer { FaceFinderSampler.encode([box], into: $0.baseAddress!, grid: grid) }
        XCTAssertEqual(planes[4 * grid + 3], 1)
        XCTAssertLessThan(planes[0], 0.01)
        XCTAssertEqual(Double(planes[grid * grid + 4 * grid + 3]), 55 / stride - 3, accuracy: 1e-5)
        // Heat 1 is a logit of +infinity: use large logits at the centre, small elsewhere.
        var logits = planes
        for i in 0..<(grid * grid) { logits[i] = planes[i] == 1 ? 8 : -8 }
        let found = logits.withUnsafeBufferPointer { FaceFinder.decode($0.baseAddress!, gridWidth: grid, gridHeight: grid, threshold: 0.5) }
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found[0].box.x, box.x, accuracy: 1e-3)
        XCTAssertEqual(found[0].box.y, box.y, accuracy: 1e-3)
        XCTAssertEqual(found[0].box.width, box.width, accuracy: 1e-3)
        XCTAssertEqual(found[0].box.height, box.height, accuracy: 1e-3)
    }

    func testScenesLabelOnlyFacesOfTheFinderSizes() {
        // One made-up "photo": a mid-grey square with a dark 40-pixel face box in its centre.
        var photo = Image(width: 200, height: 200, channels: 1, fill: 128)
        for y in 80..<120 { for x in 80..<120 { photo[x, y, 0] = 20 } }
        let corners = [Point(x: 80, y: 80), Point(x: 119, y: 80), Point(x: 80, y: 119), Point(x: 119, y: 119)]
        let face = TrainingExample(name: "square", subset: "", image: photo, points: corners,
                                   landmarkBox: Box(enclosing: corners))
        let sampler = FaceFinderSampler(canvas: 128, faces: [face])
        var rng = SplitMix64(seed: 3)
        var counts = [0, 0, 0, 0]  // canvases with 0, 1, 2 and more faces (faces pasted in front of others)
        for _ in 0..<300 {
            let (image, boxes, ignored) = sampler.compose(&rng)
            XCTAssertTrue(ignored.allSatisfy { max($0.width, $0.height) <= sampler.maxFace * sampler.ignoredOversize + 1e-9 })
            XCTAssertEqual([image.width, image.height, image.channels], [128, 128, 1])
            counts[min(boxes.count, 3)] += 1
            for box in boxes {
                // Rotation by up to 30 degrees widens the enclosing box by up to cos 30 + sin 30.
                XCTAssertLessThanOrEqual(max(box.width, box.height), sampler.maxFace * 1.37)
                XCTAssertGreaterThanOrEqual(max(box.width, box.height), sampler.minFace * 0.99)
            }
        }
        XCTAssertTrue(counts[...2].allSatisfy { $0 > 10 }, "scenes with 0, 1 and 2 faces (2 in about 10%), got \(counts)")
    }

    func testHitNeedsTheCentreInsideAndASimilarSize() {
        let truth = Box(x: 100, y: 100, width: 100, height: 100)
        XCTAssertNotNil(FaceFinderEvaluation.hit([FaceDetection(box: Box(x: 90, y: 95, width: 120, height: 110), score: 1)], truth: truth))
        XCTAssertNil(FaceFinderEvaluation.hit([FaceDetection(box: Box(x: 190, y: 100, width: 100, height: 100), score: 1)], truth: truth))
        XCTAssertNil(FaceFinderEvaluation.hit([FaceDetection(box: Box(x: 0, y: 0, width: 300, height: 300), score: 1)], truth: truth))
        XCTAssertNil(FaceFinderEvaluation.hit([FaceDetection(box: Box(x: 140, y: 140, width: 20, height: 20), score: 1)], truth: truth))
    }

    func testAReportedFaceIsJudgedByItsKeypointsNotItsFinderBox() {
        let truth = Box(x: 100, y: 100, width: 100, height: 100)
        func face(finderBox: Box, keypointsFrom origin: Double, side: Double) -> AnalyzedFace {
            let points = [Point(x: origin, y: origin), Point(x: origin + side, y: origin + side)]
            return AnalyzedFace(box: finderBox, score: 1, points: points, confidence: 1, origin: .detected)
        }
        // A small finder box on the chin whose keypoints settled on the whole face: found.
        let settled = face(finderBox: Box(x: 130, y: 185, width: 40, height: 40), keypointsFrom: 102, side: 96)
        XCTAssertEqual(FaceFinderEvaluation.hit([settled], truth: truth)?.points, settled.points)
        // A finder box on the face whose keypoints wandered off: missed.
        let wandered = face(finderBox: truth, keypointsFrom: 190, side: 100)
        XCTAssertNil(FaceFinderEvaluation.hit([wandered], truth: truth))
    }

    func testFocalLossGradientMatchesFiniteDifferences() {
        let shape = [1, 5, 2, 2]
        let output = Tensor(shape: shape, values: (0..<20).map { Float(sin(Double($0))) })
        let target = Tensor(shape: shape)
        target[0] = 1
        target[1] = 0.4
        for k in 1..<5 { target[k * 4] = 0.3 * Float(k) }
        let analytic = FaceFinderLoss.evaluate(output, target).gradient
        for i in [0, 1, 2, 4, 8, 16] {
            let plus = output.copy(), minus = output.copy()
            plus[i] += 1e-3
            minus[i] -= 1e-3
            let numeric = (FaceFinderLoss.evaluate(plus, target).value - FaceFinderLoss.evaluate(minus, target).value) / 2e-3
            XCTAssertEqual(analytic[i], numeric, accuracy: 2e-3, "element \(i)")
        }
    }

    func testIgnoredFacesAreLeftOutOfTheHeatMapButNotOverCentres() {
        let grid = 8
        let face = Box(x: 40, y: 50, width: 30, height: 36)      // centre cell (3, 4)
        let unsure = Box(x: 84, y: 84, width: 40, height: 40)    // centre (104, 104): cell (6, 6), reach 1.25 cells
        var planes = [Float](repeating: 0, count: 5 * grid * grid)
        planes.withUnsafeMutableBufferPointer {
            FaceFinderSampler.encode([face], ignoring: [unsure, face], into: $0.baseAddress!, grid: grid)
        }
        XCTAssertEqual(planes[6 * grid + 6], -1)
        XCTAssertEqual(planes[5 * grid + 5], -1)
        XCTAssertEqual(planes[7 * grid + 7], -1)
        XCTAssertEqual(planes[4 * grid + 3], 1, "a face's centre cell stays a face")
        XCTAssertTrue((0..<0.01).contains(planes[0]), "cells away from both stay background")
    }

    func testTheLossSkipsIgnoredCells() {
        let shape = [1, 5, 2, 2]
        let output = Tensor(shape: shape, values: (0..<20).map { Float(sin(Double($0))) })
        let target = Tensor(shape: shape)
        target[0] = 1
        target[3] = -1
        let base = FaceFinderLoss.evaluate(output, target)
        XCTAssertEqual(base.gradient[3], 0)
        let moved = output.copy()
        moved[3] += 5
        XCTAssertEqual(FaceFinderLoss.evaluate(moved, target).value, base.value, accuracy: 1e-6)
        target[3] = 0
        XCTAssertNotEqual(FaceFinderLoss.evaluate(moved, target).value, FaceFinderLoss.evaluate(output, target).value)
    }

    func testFoundFacesNobodyAnnotatedAreTaughtWhenSureAndLeftOutWhenNot() {
        let photo = Image(width: 300, height: 300, channels: 1, fill: 128)
        let annotated = Box(x: 10, y: 10, width: 60, height: 60)
        let found = [FoundFace(box: Box(x: 14, y: 12, width: 58, height: 62), confidence: 0.9),  // the annotated one
                     FoundFace(box: Box(x: 150, y: 150, width: 50, height: 50), confidence: 0.95),
                     FoundFace(box: Box(x: 220, y: 30, width: 40, height: 40), confidence: 0.4)]
        let scene = FaceScene(name: "group", image: photo, annotated: [annotated], found: found, sure: 0.8)
        XCTAssertEqual(scene.faces, [annotated, found[1].box])
        XCTAssertEqual(scene.unsure, [found[2].box])
    }

    func testScenesTeachTheirFacesOfFinderSizesAndIgnoreTheUnsure() {
        // A 400-pixel "group photo": two dark 40-pixel squares taught as faces, a third one unsure.
        var photo = Image(width: 400, height: 400, channels: 1, fill: 128)
        let faces = [Box(x: 60, y: 60, width: 40, height: 40), Box(x: 260, y: 80, width: 40, height: 40)]
        let unsure = Box(x: 160, y: 260, width: 40, height: 40)
        for box in faces + [unsure] {
            for y in Int(box.y)..<Int(box.y + box.height) { for x in Int(box.x)..<Int(box.x + box.width) { photo[x, y, 0] = 20 } }
        }
        let corners = [Point(x: 60, y: 60), Point(x: 99, y: 99)]
        let paste = TrainingExample(name: "square", subset: "", image: photo, points: corners, landmarkBox: Box(enclosing: corners))
        let scene = FaceScene(name: "group", image: photo, faces: faces, unsure: [unsure])
        let sampler = FaceFinderSampler(canvas: 128, faces: [paste], sceneGroups: [(1, [scene])])
        var rng = SplitMix64(seed: 5)
        var taught = 0, ignored = 0
        for _ in 0..<200 {
            var image = Image(width: 128, height: 128, channels: 1, fill: 0)
            var found = [Box](), left = [Box]()
            sampler.showScene(onto: &image, faces: &found, ignored: &left, &rng)
            taught += found.count
            ignored += left.count
            for box in found {
                XCTAssertTrue((sampler.minFace...sampler.maxFace).contains(max(box.width, box.height)))
                XCTAssertTrue(box.center.x >= 0 && box.center.x < 128 && box.center.y >= 0 && box.center.y < 128)
            }
            XCTAssertLessThanOrEqual(found.count, 2, "the unsure face is never taught")
        }
        XCTAssertGreaterThan(taught, 100)
        XCTAssertGreaterThan(ignored, 100)
    }

    func testOcclusionHidesPartOfTheFaceButItsCentreAndTeachesAFaceInFront() {
        // A flat 255 canvas; the covers come from a flat black photo without faces (or made-up clutter),
        // the faces in front are a black 30-pixel square.
        let photo = Image(width: 300, height: 300, channels: 1, fill: 0)
        let paste = TrainingExample(name: "flat", subset: "", image: photo, points: [Point(x: 10, y: 10), Point(x: 40, y: 40)],
                                    landmarkBox: Box(x: 10, y: 10, width: 30, height: 30))
        let sampler = FaceFinderSampler(canvas: 128, faces: [paste],
                                        sceneGroups: [(1, [FaceScene(name: "flat", image: photo, faces: [], unsure: [])])])
        let face = Box(x: 44, y: 44, width: 40, height: 40)
        var rng = SplitMix64(seed: 3), hidden = [Double](), facesInFront = 0
        for _ in 0..<60 {
            var image = Image(width: 128, height: 128, channels: 1, fill: 255)
            var faces = [face], ignored = [Box]()
            sampler.occlude(face, onto: &image, faces: &faces, ignored: &ignored, &rng)
            XCTAssertEqual(image[64, 64, 0], 255, "the face's centre stays visible")
            XCTAssertEqual(faces.count + ignored.count, faces.count == 1 && ignored.isEmpty ? 1 : 2)
            for front in faces.dropFirst() + ignored {
                facesInFront += 1
                XCTAssertLessThan(face.iou(front), FaceFinder(network: FaceFinderNetwork.make(seed: 0)).overlap,
                                  "the face in front does not suppress the hidden one")
            }
            var changed = 0
            for y in 44..<84 { for x in 44..<84 where image[x, y, 0] != 255 { changed += 1 } }
            hidden.append(Double(changed) / 1600)
        }
        XCTAssertGreaterThan(hidden.min()!, 0.02)
        XCTAssertLessThan(hidden.max()!, 0.6)
        XCTAssertTrue((15...45).contains(facesInFront), "\(facesInFront) of 60 behind a face")
    }
}
