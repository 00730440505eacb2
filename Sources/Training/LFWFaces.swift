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
}

/// Reads LFW photos and places keypoints on their face: LFW's photos are centred on one face, so the
/// 68-point model starts from a box in the middle and re-crops twice (as `morph detect` does).
public enum LFWFaces {
    /// The box the keypoint model starts from, as fractions of the photo's side (the compact copy's
    /// face fills about the middle 60-70% of the photo).
    static let startBox = (x: 0.2, y: 0.22, side: 0.6)

    /// The keypoints of the face in the middle of the grey LFW photo `image`, and how settled they are.
    public static func keypoints(_ image: Image, predictor: KeypointPredictor) -> (points: [Point], confidence: Double) {
        let w = Double(image.width), h = Double(image.height)
        let box = Box(x: startBox.x * w, y: startBox.y * h, width: startBox.side * w, height: startBox.side * h)
        return FaceAnalyzer.keypoints(predictor, image, boxes: [box])[0]
    }

    /// Loads `photos` from `root` and places keypoints with `landmarks` on two threads. Keypoints
    /// already in `cache` (a JSON file written by an earlier call with the same model) are reused.
    public static func load(_ photos: [LFWProtocol.Photo], root: URL, landmarks: URL, cache: URL?, label: String,
                            progress: ProgressReporter?) throws -> [LFWFace] {
        let labeller = try TrainingRun.fingerprint(landmarks)
        var known = [String: [Point]]()
        if let cache, let data = try? Data(contentsOf: cache),
           let saved = try? JSONDecoder().decode(KeypointCache.self, from: data), saved.labeller == labeller {
            known = saved.points
        }
        // Each worker with its own network: a network's buffers serve one thread.
        let predictors = try (0..<2).map { _ in KeypointPredictor(model: try TrainedModel(contentsOf: landmarks)) }
        let started = Date()
        let faces = WorkerPool.map(photos.count, states: predictors, finished: {
            progress?.update(label, done: $0, total: photos.count, detail: "", stepStart: started)
        }) { predictor, index in
            Result { () throws -> LFWFace in
                let photo = photos[index]
                let image = try ImageFile.read(photo.url(root: root).path, mode: .grey).image
                let points = known["\(photo.name)/\(photo.number)"] ?? keypoints(image, predictor: predictor).points
                return LFWFace(photo: photo, image: image, points: points)
            }
        }
        let loaded = try faces.map { try $0.get() }
        if let cache {
            var points = known
            for face in loaded { points["\(face.photo.name)/\(face.photo.number)"] = face.points }
            try AtomicFile.write(try JSONEncoder().encode(KeypointCache(labeller: labeller, points: points)), to: cache.path)
        }
        return loaded
    }

    /// Keypoints placed earlier, by the model file `labeller` names.
    struct KeypointCache: Codable {
        var labeller: String
        var points: [String: [Point]]
    }
}
