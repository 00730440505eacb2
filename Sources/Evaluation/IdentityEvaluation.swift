import FaceAnalysis
import FaceData
import Foundation
import Imaging
import Plumbing
import Training

/// The identity model's measurements: LFW verification and IMM rank-1 identification.
public enum IdentityEvaluation {
    /// LFW verification on the pairs file `pairs` (e.g. `pairsDevTest.txt`) of the LFW folder `root`:
    /// keypoints by the 68-point model at `landmarks` (cached in `cache`), embeddings by `model`, the
    /// threshold by 10-fold cross-validation. Also the embedding's milliseconds per face (one face at a time).
    public static func verification(root: URL, pairs: String, landmarks: URL, model: IdentityModel, cache: URL?,
                                    progress: ProgressReporter?) throws -> (report: VerificationReport, millisecondsPerFace: Double) {
        let list = try LFWProtocol.pairs(contentsOf: root.appendingPathComponent(pairs))
        var photos = [LFWProtocol.Photo](), index = [LFWProtocol.Photo: Int]()
        for photo in list.flatMap({ [$0.first, $0.second] }) where index[photo] == nil {
            index[photo] = photos.count
            photos.append(photo)
        }
        let faces = try LFWFaces.load(photos, root: root, landmarks: [landmarks], cache: cache,
                                      label: "keypoints of the pairs' photos", progress: progress)
        let started = Date()
        let embeddings = faces.map { model.embeddings($0.image, faces: [$0.points])[0] ?? [] }
        let milliseconds = 1000 * Date().timeIntervalSince(started) / Double(max(faces.count, 1))
        let scores = list.map { pair -> Double in
            let a = embeddings[index[pair.first]!], b = embeddings[index[pair.second]!]
            return a.isEmpty || b.isEmpty ? -1 : Embedding.cosine(a, b)
        }
        return (VerificationEvaluation.evaluate(scores: scores, same: list.map(\.samePerson), folds: 10), milliseconds)
    }

    /// Rank-1 identification on the IMM photos in `folder` (`PP-Vg.jpg`, person PP): each photo's
    /// largest face against every other photo's; a photo without a face counts as a miss.
    public static func immRankOne(folder: URL, analyzer: FaceAnalyzer, progress: ProgressReporter?) throws
        -> (rankOne: Double, photos: Int, withoutFace: [String]) {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.lowercased().hasSuffix(".jpg") }.sorted()
        var embeddings = [[Float]](), labels = [Int](), withoutFace = [String]()
        let started = Date()
        for (number, file) in files.enumerated() {
            progress?.update("IMM photos", done: number + 1, total: files.count, detail: "", stepStart: started)
            guard let person = Int(file.prefix(2)) else { continue }
            let faces = try analyzer.analyze(folder.appendingPathComponent(file).path, mode: .grey).faces
            guard let embedding = faces.first?.embedding else {
                withoutFace.append(file)
                continue
            }
            embeddings.append(embedding)
            labels.append(person)
        }
        let total = embeddings.count + withoutFace.count
        let hits = VerificationEvaluation.rankOne(embeddings, labels: labels) * Double(embeddings.count)
        return (hits / Double(max(total, 1)), total, withoutFace)
    }

    /// The lines `morph eval identity` prints about LFW verification on `pairs` by the model file
    /// `modelFile` (same-person threshold `modelThreshold`), embedding the crop with or without its mirror.
    public static func verificationLines(_ report: VerificationReport, millisecondsPerFace: Double, modelFile: String,
                                         pairs: String, flipAverage: Bool, modelThreshold: Double) -> [String] {
        ["\(modelFile) on \(pairs) (\(flipAverage ? "crop + mirror" : "no mirror")):",
         String(format: "  accuracy %.2f%% ± %.2f (10-fold threshold)   ROC AUC %.4f   TAR %.1f%% at FAR 1%%, %.1f%% at FAR 0.1%%",
                100 * report.accuracy, 100 * report.accuracySpread, report.auc, 100 * report.trueAcceptAt1Percent,
                100 * report.trueAcceptAtTenthPercent),
         String(format: "  best threshold on all pairs %.3f (the model's: %.3f)   embedding %.1f ms per face", report.threshold,
                modelThreshold, millisecondsPerFace)]
    }

    /// The ROC curve of `report`, titled after the pairs file.
    public static func rocChart(_ report: VerificationReport, pairs: String) -> Image {
        LinePlot(title: "LFW \(pairs) ROC", xLabel: "false accept rate", yLabel: "true accept rate",
                 series: [.init(name: "identity", color: .red, points: report.roc.map { ($0.falseAccept, $0.trueAccept) })])
            .render()
    }

    /// The line about IMM rank-1 identification (`immRankOne`'s result).
    public static func rankOneLine(_ result: (rankOne: Double, photos: Int, withoutFace: [String])) -> String {
        String(format: "IMM rank-1 identification: %.1f%% of %d photos (%d without a face)", 100 * result.rankOne, result.photos,
               result.withoutFace.count)
    }
}
