import ConvNet
import CourseModels
import FaceData
import Foundation
import Imaging
import NeuralNet
import Plumbing
import XCTest
@testable import FaceAnalysis
@testable import Training

final class TrainingLoopTests: XCTestCase {
    /// 58-point IMM-like examples on 160x120 photos: a bright square marks the nose tip (point 52);
    /// the outer eye corners (13 and 21) sit 40 px apart so the NME is defined.
    private func examples(_ count: Int, seed: UInt64) -> [TrainingExample] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { index in
            var image = Image(width: 160, height: 120, channels: 1, fill: 60)
            let nose = Point(x: Double(rng.uniform(40, 120)), y: Double(rng.uniform(30, 90)))
            for y in Int(nose.y) - 6...Int(nose.y) + 6 { for x in Int(nose.x) - 6...Int(nose.x) + 6 { image[x, y, 0] = 230 } }
            var points = (0..<58).map { _ in Point(x: Double(rng.uniform(10, 150)), y: Double(rng.uniform(10, 110))) }
            points[52] = nose
            points[13] = Point(x: nose.x + 20, y: nose.y - 20)
            points[21] = Point(x: nose.x - 20, y: nose.y - 20)
            return TrainingExample(name: "s\(index)", subset: "", image: image, points: points, landmarkBox: Box(enclosing: points))
        }
    }

    private func options(epochs: Int) -> TrainingOptions {
        var options = TrainingOptions()
        options.epochs = epochs
        options.batchSize = 8
        options.learningRate = 2e-3
        options.seed = 3
        return options
    }

    private func temporaryRun() throws -> TrainingRun {
        try TrainingRun(folder: FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)"))
    }

    func testShortTrainingOnSyntheticDataLowersTheLoss() throws {
        let spec = KeypointModelSpec.standard(.nose, inputSize: 80)
        let task = KeypointTrainingTask(spec: spec, options: options(epochs: 6), train: examples(48, seed: 1),
                                        validation: examples(16, seed: 2))
        let run = try temporaryRun()
        defer { try? FileManager.default.removeItem(at: run.folder) }
        let history = try TrainingLoop(task: task, options: options(epochs: 6), run: run, identity: spec.metadata)
            .fit(resume: false, progress: ProgressReporter(forcePlain: true))
        XCTAssertEqual(history.count, 6)
        XCTAssertLessThan(history.last!.trainLoss, 0.5 * history.first!.trainLoss, "\(history.map(\.trainLoss))")
        for file in ["metrics.csv", "loss.png", "metric.png", "checkpoint.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run.folder.appendingPathComponent(file).path), file)
        }
    }

    func testPseudoLabelledFacesJoinEachEpochDrawnAfreshPerBatch() {
        let spec = KeypointModelSpec.standard(.nose, inputSize: 80)
        let annotated = examples(8, seed: 6)
        // Pseudo-labelled photos told apart by their brightness (annotated photos are 60 with a 230 square).
        let pseudo = examples(40, seed: 7).enumerated().map { index, example in
            var example = example
            example.image = Image(width: 160, height: 120, channels: 1, fill: UInt8(100 + 3 * index))
            return example
        }
        let task = KeypointTrainingTask(spec: spec, options: options(epochs: 1), train: annotated, validation: annotated,
                                        pseudoLabelled: PseudoLabelledFaces(examples: pseudo, ratio: 0.5, provenance: ""))
        XCTAssertEqual(task.trainCount, 12)
        let input = Tensor(shape: [0]), target = Tensor(shape: [0])
        let plane = spec.inputWidth * spec.inputHeight
        let firstPixels = { (seed: UInt64) -> [Float] in
            task.fillTrainingBatch([0, 8, 9, 10, 11], seed: seed, input: input, target: target)
            return (0..<5).map { input.data[$0 * plane] }
        }
        var drawn = Set<Float>()
        for seed in 0..<10 as Range<UInt64> {
            let pixels = firstPixels(seed)
            XCTAssertEqual(pixels[0], firstPixels(0)[0], "an annotated face is itself whatever the seed")
            XCTAssertTrue(pixels[1...].allSatisfy { $0 > pixels[0] }, "indices past the annotated faces are pseudo-labelled ones")
            drawn.formUnion(pixels[1...])
        }
        XCTAssertGreaterThan(drawn.count, 10, "each batch draws its pseudo-labelled faces afresh")
    }

    func testResumeContinuesExactly() throws {
        let spec = KeypointModelSpec.standard(.nose, inputSize: 80)
        let train = examples(24, seed: 4), validation = examples(8, seed: 5)
        let straight = try temporaryRun(), split = try temporaryRun()
        defer { for run in [straight, split] { try? FileManager.default.removeItem(at: run.folder) } }
        let quiet = ProgressReporter(forcePlain: true)

        let full = KeypointTrainingTask(spec: spec, options: options(epochs: 2), train: train, validation: validation)
        try TrainingLoop(task: full, options: options(epochs: 2), run: straight, identity: spec.metadata).fit(resume: false, progress: quiet)

        let first = KeypointTrainingTask(spec: spec, options: options(epochs: 1), train: train, validation: validation)
        try TrainingLoop(task: first, options: options(epochs: 1), run: split, identity: spec.metadata).fit(resume: false, progress: quiet)
        let second = KeypointTrainingTask(spec: spec, options: options(epochs: 2), train: train, validation: validation)
        let history = try TrainingLoop(task: second, options: options(epochs: 2), run: split, identity: spec.metadata)
            .fit(resume: true, progress: quiet)

        XCTAssertEqual(history.count, 2)
        for (a, b) in zip(full.network.stateDict, second.network.stateDict) {
            XCTAssertEqual(a.name, b.name)
            XCTAssertEqual(a.tensor.array, b.tensor.array, "\(a.name) differs after resume")
        }
    }

    func testResumeRefusesAnotherModelsCheckpoint() throws {
        let run = try temporaryRun()
        defer { try? FileManager.default.removeItem(at: run.folder) }
        let nose = KeypointModelSpec.standard(.nose, inputSize: 80)
        let task = KeypointTrainingTask(spec: nose, options: options(epochs: 1), train: examples(8, seed: 6), validation: examples(2, seed: 7))
        try TrainingLoop(task: task, options: options(epochs: 1), run: run, identity: nose.metadata)
            .fit(resume: false, progress: ProgressReporter(forcePlain: true))
        let blur = KeypointModelSpec.standard(.nose, pool: .blur, inputSize: 80)
        let other = KeypointTrainingTask(spec: blur, options: options(epochs: 2), train: examples(8, seed: 6), validation: examples(2, seed: 7))
        XCTAssertThrowsError(try TrainingLoop(task: other, options: options(epochs: 2), run: run, identity: blur.metadata)
            .fit(resume: true, progress: ProgressReporter(forcePlain: true)))
    }

    func testResumeWithoutACheckpointIsAnErrorNotAFreshStart() throws {
        let run = try temporaryRun()
        defer { try? FileManager.default.removeItem(at: run.folder) }
        let spec = KeypointModelSpec.standard(.nose, inputSize: 80)
        let task = KeypointTrainingTask(spec: spec, options: options(epochs: 1), train: examples(8, seed: 6), validation: examples(2, seed: 7))
        XCTAssertThrowsError(try TrainingLoop(task: task, options: options(epochs: 1), run: run, identity: spec.metadata)
            .fit(resume: true, progress: ProgressReporter(forcePlain: true))) {
            XCTAssertEqual("\($0)", "\(run.checkpointURL.path): cannot resume from this checkpoint (there is none: nothing to resume (leave out --resume to start over))")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: run.checkpointURL.path), "no training ran")
    }

    func testARunFolderLosesTheHalfWrittenCheckpointOfAKilledRun() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let leftover = ".checkpoint.partial-\(finished.processIdentifier)-5eed.safetensors"
        for name in [leftover, "checkpoint.safetensors"] { try Data([1]).write(to: folder.appendingPathComponent(name)) }
        _ = try TrainingRun(folder: folder)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["checkpoint.safetensors"])
        let file = folder.appendingPathComponent("checkpoint.safetensors")
        XCTAssertThrowsError(try TrainingRun(folder: file.appendingPathComponent("run"))) {
            XCTAssertEqual("\($0)", "\(file.path)/run: cannot write: a part of the path is not a folder")
        }
    }

    func testADivergingLossStopsTrainingWithItsEpoch() throws {
        let run = try temporaryRun()
        defer { try? FileManager.default.removeItem(at: run.folder) }
        let spec = KeypointModelSpec.standard(.nose, inputSize: 80)
        var wild = options(epochs: 2)
        wild.learningRate = 1e30
        let task = KeypointTrainingTask(spec: spec, options: wild, train: examples(16, seed: 6), validation: examples(2, seed: 7))
        XCTAssertThrowsError(try TrainingLoop(task: task, options: wild, run: run, identity: spec.metadata)
            .fit(resume: false, progress: ProgressReporter(forcePlain: true))) {
            guard case TrainingError.diverged(let epoch, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(epoch, 1)
            XCTAssertTrue("\($0)".hasPrefix("training diverged at epoch 1, step "), "\($0)")
        }
    }

    func testInitialWeightsReplaceTheRandomStartAndMustMatchTheLayers() throws {
        let runs = try (0..<3).map { _ in try temporaryRun() }
        let model = FileManager.default.temporaryDirectory.appendingPathComponent("init-\(UUID().uuidString).safetensors")
        defer { for url in runs.map(\.folder) + [model] { try? FileManager.default.removeItem(at: url) } }
        let quiet = ProgressReporter(forcePlain: true)
        let spec = KeypointModelSpec.standard(.nose, inputSize: 80)
        let trained = KeypointTrainingTask(spec: spec, options: options(epochs: 1), train: examples(16, seed: 8), validation: examples(4, seed: 9))
        try TrainingLoop(task: trained, options: options(epochs: 1), run: runs[0], identity: spec.metadata).fit(resume: false, progress: quiet)
        try TrainedModel(spec: spec, network: trained.network).save(to: model, extra: [:], dtype: .f32)

        // A learning rate of zero leaves the weights where the start put them.
        var still = options(epochs: 1)
        still.learningRate = 0
        still.seed = 11
        let tuned = KeypointTrainingTask(spec: spec, options: still, train: examples(16, seed: 8), validation: examples(4, seed: 9))
        try TrainingLoop(task: tuned, options: still, run: runs[1], identity: spec.metadata)
            .fit(resume: false, initialWeights: model, progress: quiet)
        let parameters = Dictionary(uniqueKeysWithValues: tuned.network.parameters.map { ($0.name, $0.parameter.value.array) })
        for (name, tensor) in trained.network.stateDict where parameters[name] != nil {
            XCTAssertEqual(parameters[name], tensor.array, "\(name) did not come from the initial weights")
        }

        let wider = KeypointModelSpec.standard(.nose, inputSize: 96)
        let other = KeypointTrainingTask(spec: wider, options: still, train: examples(16, seed: 8), validation: examples(4, seed: 9))
        XCTAssertThrowsError(try TrainingLoop(task: other, options: still, run: runs[2], identity: wider.metadata)
            .fit(resume: false, initialWeights: model, progress: quiet)) { error in
            XCTAssertTrue("\(error)".contains(model.path), "\(error)")
        }
    }

    func testScaledAugmentationShrinksEveryRangeAndKeepsMirroring() {
        let recipe = TrainingOptions.landmarksRecipe.augmentation
        let light = recipe.scaled(by: 0.5)
        XCTAssertEqual(light.rotationDegrees, recipe.rotationDegrees / 2)
        XCTAssertEqual(light.scale, recipe.scale / 2)
        XCTAssertEqual(light.shift, recipe.shift / 2)
        XCTAssertEqual(light.contrast, recipe.contrast / 2)
        XCTAssertEqual(light.brightness, recipe.brightness / 2)
        XCTAssertEqual(light.blurProbability, recipe.blurProbability / 2)
        XCTAssertTrue(light.flip)
        XCTAssertEqual(recipe.scaled(by: 10).blurProbability, 1)
        var rng = SplitMix64(seed: 1)
        let still = recipe.scaled(by: 0).drawGeometry(&rng)
        XCTAssertEqual([still.scale, still.shiftX, still.shiftY, still.rotation], [1, 0, 0, 0])
    }


    func testAStride8ModelStartsAStride16OneAndTheOtherWayRound() throws {
        func integral(stride: Int) -> KeypointModelSpec {
            var spec = KeypointModelSpec.landmarks(inputSize: 64)
            spec.head = .integral
            spec.featureStride = stride
            return spec
        }
        let directory = FileManager.default.temporaryDirectory
        for (from, to) in [(8, 16), (16, 8)] {
            let url = directory.appendingPathComponent("stride\(from)-\(UUID().uuidString).safetensors")
            defer { try? FileManager.default.removeItem(at: url) }
            let source = integral(stride: from)
            try TrainedModel(spec: source, network: source.makeNetwork(seed: 1)).save(to: url, extra: [:], dtype: .f32)
            let network = integral(stride: to).makeNetwork(seed: 2)
            let fresh = try network.load(initialWeights: url)
            // The head's weights read another number of channels (the top-down step's or layer4's); that
            // step is only stride 8's.
            XCTAssertEqual(fresh.filter { !$0.hasPrefix(ResNet18.topDownKey + ".") }, ["fc.weight"])
            XCTAssertEqual(fresh.contains { $0.hasPrefix(ResNet18.topDownKey + ".") }, to == 8)
            let backbone = Dictionary(uniqueKeysWithValues: network.parameters.map { ($0.name, $0.parameter.value) })
            let saved = try SafeTensors.read(contentsOf: url).tensors
            XCTAssertEqual(backbone["conv1.weight"]?.array, saved["conv1.weight"]?.array)
        }
    }

    func testAnIntegralModelPredictsPointsAndStartsFromAPooledOne() throws {
        var spec = KeypointModelSpec.landmarks(inputSize: 64)
        spec.head = .integral
        XCTAssertEqual(spec.outputCount, 3 * 68 * 2 * 2)
        XCTAssertEqual(spec.targetCount, 136)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pooled-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let pooled = KeypointModelSpec.landmarks(inputSize: 64)
        try TrainedModel(spec: pooled, network: pooled.makeNetwork(seed: 1)).save(to: url, extra: [:], dtype: .f32)

        let network = spec.makeNetwork(seed: 2)
        XCTAssertEqual(try network.load(initialWeights: url), ["fc.weight", "fc.bias"])
        let points = KeypointPredictor(model: TrainedModel(spec: spec, network: network))
            .predict(Image(width: 200, height: 160, channels: 1, fill: 100), box: Box(x: 50, y: 40, width: 80, height: 80))
        XCTAssertEqual(points.count, 68)
        for point in points {  // a zero head: every point at the crop's centre, the box's centre
            XCTAssertEqual(point.x, 90, accuracy: 1e-3)
            XCTAssertEqual(point.y, 80, accuracy: 1e-3)
        }
    }
}
