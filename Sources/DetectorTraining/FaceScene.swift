import FaceAnalysis
import FaceData
import Foundation
import Imaging
import Plumbing
import Training

/// A real photo for teaching the face finder: the faces it must find, and the faces it must be taught
/// neither to find nor to ignore (found by the current models without certainty, or too small to say).
struct FaceScene: Sendable {
    /// A short name for reports.
    var name: String
    /// The photo, grey.
    var image: Image
    /// Faces to find: annotated ones, and faces the current models find surely.
    var faces: [Box]
    /// Faces left out of the loss: found by the current models, but not surely.
    var unsure: [Box]

    /// The scene of an annotated training photo with no other labels.
    init(_ example: TrainingExample) {
        self.init(name: example.name, image: example.image, faces: [example.landmarkBox], unsure: [])
    }

    /// A scene from its parts.
    init(name: String, image: Image, faces: [Box], unsure: [Box]) {
        self.name = name
        self.image = image
        self.faces = faces
        self.unsure = unsure
    }

    /// The scene of a photo with `annotated` faces plus the faces the current models `found` in it
    /// (keypoint boxes and how settled their keypoints are): a found face that hits no annotated one is
    /// a face to find when its keypoints settle at least `sure`, else an unsure one.
    init(name: String, image: Image, annotated: [Box], found: [FoundFace], sure: Double) {
        var faces = annotated, unsure = [Box]()
        for face in found where !annotated.contains(where: { FaceScene.sameFace(face.box, $0) }) {
            if face.confidence >= sure { faces.append(face.box) } else { unsure.append(face.box) }
        }
        self.init(name: name, image: image, faces: faces, unsure: unsure)
    }

    /// Whether two boxes frame one face: either hits the other (`FaceFinderEvaluation.hits`) or they
    /// overlap by at least 0.3 IoU.
    static func sameFace(_ a: Box, _ b: Box) -> Bool {
        FaceFinderEvaluation.hits(a, truth: b) || FaceFinderEvaluation.hits(b, truth: a) || a.iou(b) >= 0.3
    }
}

/// A face the current models found in a scene: its keypoints' box and how settled they are (0...1).
struct FoundFace: Codable, Sendable, Equatable {
    var box: Box
    var confidence: Double
}

/// The faces the current models find in a run's scene photos, kept in its folder (`scene-labels.json`)
/// so that a resumed or repeated run with the same photos and models reuses them.
struct SceneLabels: Codable {
    /// The labelling models' `TrainingRun.fingerprint`s.
    var labellers: [String]
    var photos: [String]
    var found: [[FoundFace]]
}

/// The models that label the faces nobody annotated, and how.
public struct SceneLabellers {
    /// The face finder, verifier (optional) and 68-point model files.
    public var finder: URL, verifier: URL?, landmarks: URL
    /// Pyramid levels of the labelling finder: finer than `morph detect`'s, to find small faces at the
    /// cost of time (measured on the AFW validation photos: 95% of the annotated faces found, against
    /// 59% at the default levels).
    public var levels = [768, 384, 160, 96]
    /// Keypoint confidence from which a found face is reported at all (unsure below `sure`).
    public var minimumConfidence = 0.2
    /// Keypoint confidence from which a found face nobody annotated is taught as a face.
    public var sure = 0.8

    /// Labellers from their model files.
    public init(finder: URL, verifier: URL?, landmarks: URL) {
        self.finder = finder
        self.verifier = verifier
        self.landmarks = landmarks
    }

    /// The files (without `.safetensors`) a models folder must hold to label scenes.
    public static let requiredModels = ["faces", "landmarks68"]

    /// The labellers of a models folder holding the `requiredModels`, with its face verifier when it has one.
    public init(folder: URL) {
        let file = { (name: String) in folder.appendingPathComponent("\(name).safetensors") }
        let verifier = file("face-verifier")
        self.init(finder: file("faces"), verifier: FileManager.default.fileExists(atPath: verifier.path) ? verifier : nil,
                  landmarks: file("landmarks68"))
    }

    /// The models and settings, for a model file's metadata.
    var summary: String {
        ([finder, verifier, landmarks].compactMap { $0?.path } + ["levels \(levels)", "confidence \(minimumConfidence)", "sure \(sure)"])
            .joined(separator: ", ")
    }

    /// The faces found in each photo, on two threads; reused from `cache` when it holds the same photos
    /// labelled by the same models.
    func label(_ photos: [FaceScene], cache: URL, progress: ProgressReporter) throws -> [[FoundFace]] {
        let files = [finder, landmarks] + (verifier.map { [$0] } ?? [])
        let fingerprints = try files.map(TrainingRun.fingerprint)
            + ["levels \(levels)", "minimum \(minimumConfidence)"]
        if let data = try? Data(contentsOf: cache), let saved = try? JSONDecoder().decode(SceneLabels.self, from: data),
           saved.labellers == fingerprints, saved.photos == photos.map(\.name) {
            progress.log("reusing the scene labels found earlier (\(cache.path))")
            return saved.found
        }
        let analyzers = try (0..<2).map { _ in
            let labeller = try FaceFinder(contentsOf: finder)
            labeller.levels = levels
            let analyzer = FaceAnalyzer(finder: labeller, verifier: try verifier.map(FaceVerifier.init(contentsOf:)),
                                        landmarks: try TrainedModel(contentsOf: landmarks))
            analyzer.minimumConfidence = minimumConfidence
            return analyzer
        }
        let started = Date()
        let found = WorkerPool.map(photos.count, states: analyzers, finished: {
            progress.update("labelling scene faces", done: $0, total: photos.count, detail: "", stepStart: started)
        }) { analyzer, index in
            analyzer.faces(in: photos[index].image).faces.map { FoundFace(box: $0.keypointBox, confidence: $0.confidence) }
        }
        let labels = SceneLabels(labellers: fingerprints, photos: photos.map(\.name), found: found)
        try AtomicFile.write(try JSONEncoder().encode(labels), to: cache.path)
        return found
    }
}

/// Loads the real scenes of a data root: the whole AFW photos (every face annotated by 300-W) and LFW's.
enum FaceSceneDataset {
    /// The whole AFW photos on `split`'s side with their annotated faces (`root`/afw-photos/faces.xml);
    /// none when the folder is missing.
    static func afwPhotos(root: URL, split: DatasetSplit, limit: Int?) throws -> [FaceScene] {
        let xml = root.appendingPathComponent("afw-photos/faces.xml")
        guard FileManager.default.fileExists(atPath: xml.path) else { return [] }
        let entries = try DlibDataset(contentsOf: xml).images
            .filter { DatasetSplit.hashed(fileName: $0.imageURL.lastPathComponent) == split }
            .prefix(limit ?? .max)
        return try entries.map {
            FaceScene(name: "afw-photos/" + $0.imageURL.lastPathComponent,
                      image: try ImageFile.read($0.imageURL.path, mode: .grey).image, faces: $0.faces.map(\.box), unsure: [])
        }
    }

    /// Every `step`-th LFW photo (`root`/lfw/PERSON/*.jpg, in name order), no face annotated; none when
    /// the folder is missing.
    static func lfwPhotos(root: URL, step: Int, limit: Int?) throws -> [FaceScene] {
        let folder = root.appendingPathComponent("lfw")
        guard let people = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var paths = [String]()
        for person in people.sorted() {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(person).path)) ?? []
            paths += files.filter { $0.hasSuffix(".jpg") }.sorted().map { "\(person)/\($0)" }
        }
        let chosen = stride(from: 0, to: paths.count, by: max(1, step)).map { paths[$0] }.prefix(limit ?? .max)
        return try chosen.map {
            FaceScene(name: "lfw/" + $0, image: try ImageFile.read(folder.appendingPathComponent($0).path, mode: .grey).image,
                      faces: [], unsure: [])
        }
    }
}

extension FaceFinderEvaluation {
    /// The share of the annotated faces (`FaceScene.faces`) of `scenes` that no detection of `finder` hits.
    static func missRate(finder: FaceFinder, scenes: [FaceScene]) -> Double {
        var faces = 0, missed = 0
        for scene in scenes {
            let detections = finder.detect(scene.image)
            faces += scene.faces.count
            missed += scene.faces.filter { hit(detections, truth: $0) == nil }.count
        }
        return Double(missed) / Double(max(faces, 1))
    }
}
