import FaceAnalysis
import FaceData
import Foundation
import Imaging
import NeuralNet
import Plumbing

/// The folder one training run writes: history, curves, pictures, checkpoint, final model, summary.
public struct TrainingRun {
    /// The run folder.
    public let folder: URL

    /// A run writing into `folder` (created if missing); temporary files that a killed run left
    /// there (a half-written checkpoint) are removed.
    public init(folder: URL) throws {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw FileError.unwritable(file: folder.path, reason: FileError.reason(for: error, path: folder.path))
        }
        TemporaryFile.removeStale(inFolder: folder.path)
    }

    /// The per-epoch checkpoint (model, optimiser state, history).
    public var checkpointURL: URL { folder.appendingPathComponent("checkpoint.safetensors") }
    /// The plain-text log.
    public var logPath: String { folder.appendingPathComponent("train.log").path }

    /// "path size modification-time" of the file at `url`: what caches of work done with a model file
    /// (mined boxes, scene labels, keypoints) are keyed by.
    public static func fingerprint(_ url: URL) throws -> String {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(url.standardizedFileURL.path) \(attributes[.size] ?? 0) \(modified)"
    }

    /// Saves network and optimiser state with the history, atomically.
    func saveCheckpoint(network: Layer, optimizer: StatefulOptimizer, identity: [String: String], history: [EpochRecord]) throws {
        var metadata = identity
        metadata["history"] = String(decoding: try JSONEncoder().encode(history), as: UTF8.self)
        try SafeTensors.write(network.stateDict + optimizer.state, metadata: metadata, to: checkpointURL)
    }

    /// Loads a checkpoint into `network` and `optimizer`; returns the history it recorded.
    func restoreCheckpoint(network: Layer, optimizer: StatefulOptimizer, identity: [String: String]) throws -> [EpochRecord] {
        let path = checkpointURL.path
        let contents = try SafeTensors.read(contentsOf: checkpointURL)
        guard identity.allSatisfy({ contents.metadata[$0.key] == $0.value }) else {
            throw TrainingError.badCheckpoint(file: path, reason: "it was written for a different model")
        }
        let modelKeys = Set(network.stateDict.map(\.name))
        try network.load(stateDict: contents.tensors.filter { modelKeys.contains($0.key) }, source: path)
        try optimizer.load(state: contents.tensors, source: path)
        guard let text = contents.metadata["history"],
              let history = try? JSONDecoder().decode([EpochRecord].self, from: Data(text.utf8)) else {
            throw TrainingError.badCheckpoint(file: path, reason: "no training history in its metadata")
        }
        return history
    }

    /// Writes `metrics.csv` and the loss and validation-metric plots.
    func writeCurves(_ history: [EpochRecord], metricName: String) throws {
        var csv = "epoch,train_loss,val_loss,val_\(metricName.lowercased().replacingOccurrences(of: " ", with: "_")),val_pixel_error,learning_rate,seconds\n"
        for r in history {
            let pixels = r.validationPixelError.map { "\($0)" } ?? ""
            csv += "\(r.epoch),\(r.trainLoss),\(r.validationLoss),\(r.validationMetric),\(pixels),\(r.learningRate),\(r.seconds)\n"
        }
        try AtomicFile.write(Data(csv.utf8), to: folder.appendingPathComponent("metrics.csv").path)
        let epochs = history.map { Double($0.epoch) }
        let loss = LinePlot(title: "Loss", xLabel: "epoch", yLabel: "loss (log)", series: [
            .init(name: "train", color: .blue, points: Array(zip(epochs, history.map(\.trainLoss))).map { ($0.0, $0.1) }),
            .init(name: "validation", color: .red, points: Array(zip(epochs, history.map(\.validationLoss))).map { ($0.0, $0.1) }),
        ], logY: true)
        try ImageFile.write(loss.render(), to: folder.appendingPathComponent("loss.png").path)
        let metric = LinePlot(title: "Validation \(metricName)", xLabel: "epoch", yLabel: "\(metricName) %", series: [
            .init(name: "validation", color: .red, points: Array(zip(epochs, history.map { 100 * $0.validationMetric })).map { ($0.0, $0.1) }),
        ])
        try ImageFile.write(metric.render(), to: folder.appendingPathComponent("metric.png").path)
    }

    /// Pictures of the first two convolution layers' kernels (`filters-1.png`, `filters-2.png`).
    func writeFilters(of network: Layer) throws {
        let kernels = network.parameters.filter { $0.parameter.value.shape.count == 4 }.prefix(2)
        for (number, kernel) in kernels.enumerated() {
            let shape = kernel.parameter.value.shape  // [out, in, kh, kw]
            let size = shape[2] * shape[3], inputs = min(shape[1], 8)
            let values = kernel.parameter.value.array
            var tiles = [[Float]]()
            for out in 0..<shape[0] {
                for input in 0..<inputs {
                    let offset = (out * shape[1] + input) * size
                    tiles.append(Array(values[offset..<offset + size]))
                }
            }
            let grid = FilterGrid.make(tiles, height: shape[2], width: shape[3], columns: inputs == 1 ? 8 : inputs,
                                       tile: 28, padding: 3)
            try ImageFile.write(grid, to: folder.appendingPathComponent("filters-\(number + 1).png").path)
        }
    }

    /// Overlays of the `count` best and worst faces: truth in green, prediction in red.
    func writeOverlays(_ faces: [EvaluatedFace], examples: [TrainingExample], spec: KeypointModelSpec, count: Int,
                       prefix: String = "") throws -> (best: [String], worst: [String]) {
        let ranked = faces.sorted { $0.nme < $1.nme }
        func draw(_ face: EvaluatedFace, _ name: String) throws -> String {
            let example = examples[face.index]
            var image = example.image.converted(to: .rgb)
            let radius = max(1.5, Double(image.width) / 250)
            for index in spec.targetIndices { image.drawDot(example.points[index], radius: radius, color: .green) }
            for point in face.predicted { image.drawDot(point, radius: radius, color: .red) }
            BitmapFont.draw(String(format: "NME %.1f%%", 100 * face.nme), into: &image, x: 6, y: 6, color: .yellow, scale: 2)
            let path = folder.appendingPathComponent("\(prefix)\(name).png").path
            try ImageFile.write(image, to: path)
            return path
        }
        let best = try ranked.prefix(count).enumerated().map { try draw($0.element, "best-\($0.offset + 1)") }
        let worst = try ranked.reversed().prefix(count).enumerated().map { try draw($0.element, "worst-\($0.offset + 1)") }
        return (best, worst)
    }

    /// Writes `images` as a contact sheet of 8 columns called `name` (a .png) into the run folder.
    func writeSheet(_ images: [Image], name: String) throws {
        guard !images.isEmpty else { return }
        try ImageFile.write(ContactSheet.make(images, columns: 8, cell: max(images[0].width, images[0].height)),
                            to: folder.appendingPathComponent(name).path)
    }

    /// Writes `summary.json` (pretty-printed, sorted keys).
    public func writeSummary<T: Encodable>(_ summary: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(summary), to: folder.appendingPathComponent("summary.json").path)
    }
}
