import FaceData
import Foundation
import Imaging

/// One face of an analysed photo, in the photo's upright full-resolution pixel coordinates.
public struct AnalyzedFace: Sendable {
    /// Where the face's keypoints came from.
    public enum Origin: String, Sendable, Codable {
        /// Found by the face finder, keypoints by the 68-point model.
        case detected
        /// A box given by hand (`--faces`), keypoints by the 68-point model.
        case manualBox
        /// Keypoints given by hand in a sidecar file.
        case sidecar
    }

    /// The face box (the finder's or the given one; the points' box for sidecars).
    public var box: Box
    /// The finder's confidence (1 for given boxes and sidecars).
    public var score: Double
    /// 68 keypoints in the iBUG order.
    public var points: [Point]
    /// Agreement of the two keypoint passes, 0...1 (1 for sidecars).
    public var confidence: Double
    /// Where it came from.
    public var origin: Origin
    /// The unit-length identity embedding, when the analyser has an identity model.
    public var embedding: [Float]?

    /// A face from its parts.
    public init(box: Box, score: Double, points: [Point], confidence: Double, origin: Origin, embedding: [Float]? = nil) {
        self.box = box
        self.score = score
        self.points = points
        self.confidence = confidence
        self.origin = origin
        self.embedding = embedding
    }

    /// The box enclosing the keypoints: where the face is, whichever box it started from.
    public var keypointBox: Box { Box(enclosing: points) }
}

/// A decoded, analysed photo.
public struct PhotoAnalysis: Sendable {
    /// The photo's path.
    public var path: String
    /// Upright pixels (RGB or grey, as asked), possibly decoded at a reduced scale (see `scale`).
    public var image: Image
    /// Full-resolution pixels per pixel of `image` (1, 2, 4 or 8).
    public var scale: Int
    /// Upright full-resolution width.
    public var width: Int
    /// Upright full-resolution height.
    public var height: Int
    /// The EXIF orientation applied.
    public var orientation: Int
    /// EXIF DateTimeOriginal, if any.
    public var dateTimeOriginal: String?
    /// The faces, largest (keypoint box) first.
    public var faces: [AnalyzedFace]
    /// Milliseconds spent decoding, finding faces and placing keypoints.
    public var timings: (decode: Double, find: Double, keypoints: Double)

    /// An analysis from its parts.
    public init(path: String, image: Image, scale: Int, width: Int, height: Int, orientation: Int,
                dateTimeOriginal: String?, faces: [AnalyzedFace], timings: (decode: Double, find: Double, keypoints: Double)) {
        self.path = path
        self.image = image
        self.scale = scale
        self.width = width
        self.height = height
        self.orientation = orientation
        self.dateTimeOriginal = dateTimeOriginal
        self.faces = faces
        self.timings = timings
    }
}

/// Photo -> faces -> 68 keypoints each, honouring sidecar keypoints and manual face boxes.
///
/// An analyser owns network buffers: use one per thread.
public final class FaceAnalyzer {
    private let finder: FaceFinder?
    private let verifier: FaceVerifier?
    private let predictor: KeypointPredictor?
    private let manualBoxes: DlibDataset?
    private let identity: IdentityModel?
    /// Re-crops after the first keypoint pass, the settling one and the last (measured on the 300-W
    /// validation faces with the finder's boxes: NME 12.1% with none, 9.3% with one, 8.2% with two).
    public static let refinePasses = 2

    /// The decode keeps at least this many pixels on the longer side (JPEG DCT scaling below it is skipped).
    public var workingSide = 1600
    /// Faces from the finder whose keypoints settle worse than this (`AnalyzedFace.confidence`) are
    /// dropped as false finds: on something that is not a face the re-crops keep moving.
    public var minimumConfidence = defaultMinimumConfidence
    /// The default cut-off (`morph eval faces --verify` measures the trade-off).
    public static let defaultMinimumConfidence = 0.5
    /// Of two faces whose keypoint boxes nest by more than this share of the smaller one's area, only
    /// one stays (1: both stay; see `kept`).
    public var nestedShare = defaultNestedShare
    /// The default share for `nestedShare`.
    public static let defaultNestedShare = 0.5
    /// How much more settled a face nested inside a larger found face must be to replace it (`kept`):
    /// a mouth and chin settle almost as well as the face around them (both about 0.77 on a 300-W
    /// film poster), a box straddling two faces far worse than either (0.54 against 0.98).
    public static let nestedLead = 0.1
    /// Which keypoint pass also sees the face mirrored (`morph detect`: the settling one, at no cost).
    public var mirroring = KeypointMirroring.settlingPass

    /// An analyser; without a finder only sidecars and manual boxes yield faces, without a keypoint model
    /// only sidecars. A `verifier` drops the finder's boxes that are not faces before keypoints are placed;
    /// an `identity` model gives every face an embedding.
    public init(finder: FaceFinder?, verifier: FaceVerifier? = nil, landmarks: TrainedModel?, manualBoxes: DlibDataset? = nil,
                identity: IdentityModel? = nil) {
        self.finder = finder
        self.verifier = verifier
        predictor = landmarks.map(KeypointPredictor.init(model:))
        self.manualBoxes = manualBoxes
        self.identity = identity
    }

    /// The cosine at which two faces' embeddings are taken for one person; nil without an identity model.
    public var identityThreshold: Double? { identity?.threshold }

    /// Decodes (in `mode`: grey is faster when no colour picture is wanted) and analyses the photo at
    /// `path`. Throws for unreadable photos and malformed sidecars; a photo without a face gives an
    /// analysis with no faces.
    public func analyze(_ path: String, mode: ColorMode = .rgb) throws -> PhotoAnalysis {
        let clock = Date()
        let (decoded, width, height) = try ImageFile.read(path, mode: mode, minimumLongSide: workingSide)
        let scale = Double(decoded.scale)  // DCT scaling: output pixel i covers input pixels [i*s, (i+1)*s)
        let decodeTime = Date().timeIntervalSince(clock)
        var analysis = PhotoAnalysis(path: path, image: decoded.image, scale: decoded.scale, width: width,
                                     height: height, orientation: decoded.orientation,
                                     dateTimeOriginal: decoded.dateTimeOriginal, faces: [],
                                     timings: (1000 * decodeTime, 0, 0))
        if let sidecar = try Sidecar.resolve(for: URL(fileURLWithPath: path)) {
            try sidecar.checkPoints(photoWidth: width, photoHeight: height)
            analysis.faces = sidecar.faces.map {
                AnalyzedFace(box: $0.box, score: $0.score ?? 1, points: $0.points, confidence: 1, origin: .sidecar)
            }
            return embedded(analysis)
        }
        guard predictor != nil else { return analysis }
        let grey = decoded.image.converted(to: .grey)
        let manual = try manualBoxes?.boxes(for: URL(fileURLWithPath: path), photoWidth: width, photoHeight: height)?.map {
            Box(x: $0.x / scale, y: $0.y / scale, width: $0.width / scale, height: $0.height / scale)
        }
        let found = faces(in: grey, manualBoxes: manual)
        let toPhoto = { (p: Point) in Point(x: (p.x + 0.5) * scale - 0.5, y: (p.y + 0.5) * scale - 0.5) }
        analysis.faces = found.faces.map { face in
            var face = face
            face.box = Box(x: face.box.x * scale, y: face.box.y * scale, width: face.box.width * scale,
                           height: face.box.height * scale)
            face.points = face.points.map(toPhoto)
            return face
        }
        analysis.timings.find = found.milliseconds.find
        analysis.timings.keypoints = found.milliseconds.keypoints
        return embedded(analysis)
    }

    /// Analyses a grey picture held in memory (called `name`) as a photo of its own size: found faces,
    /// keypoints and, with an identity model, embeddings.
    public func analyze(grey: Image, name: String) -> PhotoAnalysis {
        let found = faces(in: grey)
        return embedded(PhotoAnalysis(path: name, image: grey, scale: 1, width: grey.width, height: grey.height, orientation: 1,
                                      dateTimeOriginal: nil, faces: found.faces,
                                      timings: (0, found.milliseconds.find, found.milliseconds.keypoints)))
    }

    /// `analysis` with an identity embedding on each face whose keypoints are iBUG's 68 (none without an identity model).
    private func embedded(_ analysis: PhotoAnalysis) -> PhotoAnalysis {
        guard let identity, !analysis.faces.isEmpty else { return analysis }
        let scale = Double(analysis.scale)
        let faces = analysis.faces.map { face in
            face.points.count == 68 ? face.points.map { Point(x: ($0.x + 0.5) / scale - 0.5, y: ($0.y + 0.5) / scale - 0.5) } : nil
        }
        let usable = faces.compactMap { $0 }
        let grey = analysis.image.channels == 1 ? analysis.image : analysis.image.converted(to: .grey)
        var embeddings = identity.embeddings(grey, faces: usable).makeIterator()
        var result = analysis
        for index in faces.indices where faces[index] != nil { result.faces[index].embedding = embeddings.next()! }
        return result
    }

    /// The faces of a grey photo in its own pixel coordinates, largest first: the finder's boxes that
    /// pass the verifier (or `manualBoxes`, given by hand), keypoints for each, then the found faces
    /// that do not settle (`minimumConfidence`) or nest with another face (`nestedShare`, `nestedLead`) dropped.
    /// Also the milliseconds spent finding faces (the verifier included) and placing keypoints.
    public func faces(in grey: Image, manualBoxes manual: [Box]? = nil)
        -> (faces: [AnalyzedFace], milliseconds: (find: Double, keypoints: Double)) {
        guard let predictor else { return ([], (0, 0)) }
        var clock = Date()
        let boxes: [(box: Box, score: Double, origin: AnalyzedFace.Origin)] =
            if let manual { manual.map { ($0, 1, .manualBox) } }
            else if let finder { found(by: finder, in: grey).map { ($0.box, $0.score, .detected) } }
            else { [] }
        let find = 1000 * Date().timeIntervalSince(clock)
        clock = Date()
        let keypoints = FaceAnalyzer.keypoints(predictor, grey, boxes: boxes.map(\.box), mirroring: mirroring)
        let candidates = zip(boxes, keypoints).map { candidate, found in
            AnalyzedFace(box: candidate.box, score: candidate.score, points: found.points,
                         confidence: found.confidence, origin: candidate.origin)
        }
        let kept = FaceAnalyzer.kept(candidates, minimumConfidence: minimumConfidence, nestedShare: nestedShare)
        return (kept, (find, 1000 * Date().timeIntervalSince(clock)))
    }

    /// The finder's detections in `grey`, without those the verifier (if any) rejects.
    private func found(by finder: FaceFinder, in grey: Image) -> [FaceDetection] {
        let detections = finder.detect(grey)
        return verifier?.kept(detections, in: grey) ?? detections
    }

    /// `faces`, largest keypoint box first, without the found faces whose keypoints settle worse than
    /// `minimumConfidence`, and with one of two nested faces only: a face whose keypoint box lies inside
    /// a larger face's by more than `nestedShare` of its area is dropped unless it is more settled than
    /// the larger one by over `nestedLead` (it is part of that face, usually its mouth and chin taken
    /// for a face), and otherwise the larger found face is dropped (a box between two faces whose
    /// keypoints straddle both). Two found faces whose keypoint boxes each lie inside the other's by more
    /// than that share are the same face found twice: the more settled one stays. Given faces always stay.
    public static func kept(_ faces: [AnalyzedFace], minimumConfidence: Double, nestedShare: Double) -> [AnalyzedFace] {
        var kept = [(face: AnalyzedFace, extent: Box)]()
        let ordered = faces.map { (face: $0, extent: $0.keypointBox) }.sorted { $0.extent.area > $1.extent.area }
        for (face, extent) in ordered {
            if face.origin == .detected {
                if face.confidence < minimumConfidence { continue }
                // Kept boxes are at least as large: covering a share of the kept one's area covers as much of this one's.
                if let twin = kept.firstIndex(where: {
                    $0.face.origin == .detected && extent.intersection($0.extent) > nestedShare * $0.extent.area
                }) {
                    if face.confidence > kept[twin].face.confidence { kept[twin] = (face, extent) }
                    continue
                }
                let nestsIn = { (other: (face: AnalyzedFace, extent: Box)) in
                    extent.intersection(other.extent) > nestedShare * extent.area
                }
                if kept.contains(where: { nestsIn($0) && $0.face.confidence + nestedLead >= face.confidence }) { continue }
                // A found face around it that settles worse by over the lead is not a face (often a box
                // straddling two faces).
                kept.removeAll { nestsIn($0) && $0.face.origin == .detected }
            }
            kept.append((face, extent))
        }
        return kept.map(\.face)
    }

    /// 68 keypoints for each face box of a grey photo, and how settled they are (0...1).
    ///
    /// The finder's box is looser than the landmark boxes the model was trained on: re-crop twice
    /// around the prediction (all faces of the photo in one batch); the last re-crop's shift from the
    /// settling pass before it, relative to the inter-ocular distance, is the confidence: 1 for no
    /// shift, 0 for 10% or more. `mirroring` says which pass also sees the face mirrored.
    public static func keypoints(_ predictor: KeypointPredictor, _ grey: Image, boxes: [Box],
                                 mirroring: KeypointMirroring) -> [(points: [Point], confidence: Double)] {
        let first = predictor.predict(grey, boxes: boxes)
        let settling = predictor.predict(grey, boxes: first.map { Box(enclosing: $0) },
                                         orientation: mirroring == .settlingPass ? .mirrored : .plain)
        let last = predictor.predict(grey, boxes: settling.map { Box(enclosing: $0) },
                                     orientation: mirroring == .lastPass ? .averaged : .plain)
        return zip(settling, last).map { before, after in
            let interocular = max(LandmarkScheme.ibug68.interocularDistance(after), 1)
            let shift = LandmarkMetrics.meanPointError(before, after) / interocular
            let points = mirroring == .settlingPass ? Point.mean(of: [before, after]) : after
            return (points, max(0, 1 - shift / 0.1))
        }
    }
}
