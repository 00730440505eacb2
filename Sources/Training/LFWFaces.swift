import FaceAnalysis
import FaceData
import Foundation
import Imaging
import Plumbing

/// One LFW photo in memory with its face's 68 keypoints (placed by the project's own model).
public struct LFWFace: Sendable {
    /// Which photo.
    public var photo: LFWProtocol.Photo
    /// The photo, grey (128x128 in the compact copy).
    public var image: Image
    /// The face's 68 iBUG keypoints, photo pixels.
    public var points: [Point]
    /// How sure the keypoints are, 0...1 (`LFWFaces.keypoints`).
    public var confidence: Double

    /// A face from its parts.
    public init(photo: LFWProtocol.Photo, image: Image, points: [Point], confidence: Double = 1) {
        self.photo = photo
        self.image = image
        self.points = points
        self.confidence = confidence
    }
}

/// Reads LFW photos and places keypoints on their face: LFW's photos are centred on one face, so the
/// 68-point model starts from a box in the middle and re-crops twice (as `morph detect` does).
public enum LFWFaces {
    /// The box the keypoint model starts from, as fractions of the photo's side (the compact copy's
    /// face fills about the middle 60-70% of the photo).
    static let startBox = (x: 0.2, y: 0.22, side: 0.6)

    /// The keypoints of the face in the middle of the grey LFW photo `image`, re-cropped as `morph detect`
    /// does, with each of `predictors` (`mirroring`: which pass also sees the mirrored crop; `morph
    /// detect` mirrors the settling one, the identity paths none, the teachers the last), averaged
    /// over the predictors; and how sure they are: the least settled predictor's confidence
    /// (`FaceAnalyzer.keypoints`), lowered by the predictors' disagreement (0 at `disagreementLimit` of
    /// the inter-ocular distance, mean point distance from the average).
    public static func keypoints(_ image: Image, predictors: [KeypointPredictor],
                                 mirroring: KeypointMirroring = .none) -> (points: [Point], confidence: Double) {
        let w = Double(image.width), h = Double(image.height)
        let box = Box(x: startBox.x * w, y: startBox.y * h, width: startBox.side * w, height: startBox.side * h)
        let placed = predictors.map { FaceAnalyzer.keypoints($0, image, boxes: [box], mirroring: mirroring)[0] }
        let mean = Point.mean(of: placed.map(\.points))
        let interocular = max(LandmarkScheme.ibug68.interocularDistance(mean), 1)
        let spread = placed.map { LandmarkMetrics.meanPointError($0.points, mean) }.max()! / interocular
        return (mean, min(placed.map(\.confidence).min()!, max(0, 1 - spread / disagreementLimit)))
    }

    /// What the cache's labeller string adds for a mirroring ("flip-averaged" for the last pass, as
    /// caches written before the other choices name it).
    static func labellerSuffix(_ mirroring: KeypointMirroring) -> String {
        switch mirroring {
        case .none: ""
        case .lastPass: "; flip-averaged"
        case .settlingPass: "; settling pass mirrored"
        }
    }

    /// The predictors' disagreement at which `keypoints` gives no confidence.
    public static let disagreementLimit = 0.1

    /// Loads `photos` from `root` and places keypoints with the models at `landmarks` (averaged, see
    /// `keypoints`) on two threads. Keypoints already in `cache` (a JSON file written by an earlier
    /// call with the same models and `mirroring`) are reused; the cache is written after every
    /// `cacheInterval` photos, so an interrupted call resumes near where it stopped.
    public static func load(_ photos: [LFWProtocol.Photo], root: URL, landmarks: [URL], mirroring: KeypointMirroring = .none,
                            cache: URL?, cacheInterval: Int = 1000, label: String,
                            progress: ProgressReporter?) throws -> [LFWFace] {
        let labeller = try landmarks.map(TrainingRun.fingerprint).joined(separator: "; ") + labellerSuffix(mirroring)
        var known = KeypointCache(labeller: labeller, points: [:], confidence: [:])
        if let cache, let data = try? Data(contentsOf: cache),
           let saved = try? JSONDecoder().decode(KeypointCache.self, from: data), saved.labeller == labeller {
            known = saved
        }
        // Each worker with its own networks: a network's buffers serve one thread.
        let predictors = try (0..<2).map { _ in try landmarks.map { KeypointPredictor(model: try TrainedModel(contentsOf: $0)) } }
        let started = Date()
        var loaded: [LFWFace] = []
        let interval = max(cacheInterval, 1)
        for start in stride(from: 0, to: photos.count, by: interval) {
            let chunk = photos[start..<min(start + interval, photos.count)]
            let cached = known
            let faces = WorkerPool.map(chunk.count, states: predictors, finished: {
                progress?.update(label, done: start + $0, total: photos.count, detail: "", stepStart: started)
            }) { predictors, index in
                Result { () throws -> LFWFace in
                    let photo = chunk[start + index]
                    let image = try ImageFile.read(photo.url(root: root).path, mode: .grey).image
                    if let points = cached.points[photo.cacheKey] {
                        return LFWFace(photo: photo, image: image, points: points,
                                       confidence: cached.confidence?[photo.cacheKey] ?? 1)
                    }
                    let placed = keypoints(image, predictors: predictors, mirroring: mirroring)
                    return LFWFace(photo: photo, image: image, points: placed.points, confidence: placed.confidence)
                }
            }
            let chunkFaces = try faces.map { try $0.get() }
            loaded += chunkFaces
            let placed = chunkFaces.filter { cached.points[$0.photo.cacheKey] == nil }
            guard let cache, !placed.isEmpty else { continue }
            var confidence = known.confidence ?? [:]
            for face in placed {
                known.points[face.photo.cacheKey] = face.points
                confidence[face.photo.cacheKey] = face.confidence
            }
            known.confidence = confidence
            try AtomicFile.write(try JSONEncoder().encode(known), to: cache.path)
        }
        return loaded
    }

    /// Keypoints placed earlier, by the model file `labeller` names.
    struct KeypointCache: Codable {
        var labeller: String
        var points: [String: [Point]]
        /// Absent in caches written before confidences were kept (read as 1).
        var confidence: [String: Double]?
    }
}

private extension LFWProtocol.Photo {
    /// The photo's key in a keypoint cache: `Name/number`.
    var cacheKey: String { "\(name)/\(number)" }
}
