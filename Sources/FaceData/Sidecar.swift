import Foundation
import Imaging

/// Keypoints given by hand next to a photo, which override detection for that photo.
///
/// For `DIR/PHOTO.jpg` the resolver looks for the photo's full name first, `DIR/PHOTO.jpg.pts` and
/// `DIR/PHOTO.jpg.json`, then for its stem, `DIR/PHOTO.pts` and `DIR/PHOTO.json` (lower-case
/// extensions). A stem sidecar is refused when another photo in the folder shares the stem
/// (`b.jpg` and `b.png`: `b.pts` could be either's; name it `b.png.pts`). Precedence: `.pts` wins
/// over `.json`. A `.pts` file only exists because
/// someone made or corrected it by hand (or asked `morph detect` for it), while `.json` is
/// what every `morph detect` run leaves behind; so a stale detector output never shadows a
/// manual fix. A sidecar that exists but is malformed is an error for that photo, not a
/// silent fallback to detection.
public struct Sidecar: Equatable, Sendable {
    /// The sidecar's format.
    public enum Kind: String, Sendable {
        /// 300-W points, one face.
        case pts
        /// A `DetectionRecord`, any number of faces.
        case json
    }

    /// The file the keypoints came from.
    public var url: URL
    /// Which format it was.
    public var kind: Kind
    /// The faces it gives, in 0-based pixel coordinates of the photo after its EXIF orientation
    /// is applied (the frame `morph detect` writes in); a `.pts` face's box is the tightest
    /// box around its points and has no score.
    public var faces: [FaceRecord]

    /// The sidecar of `photo`, or nil when there is none.
    ///
    /// Throws when the chosen sidecar is malformed, or when a face does not have
    /// `pointCount` points (68 for the iBUG scheme).
    public static func resolve(for photo: URL, pointCount: Int = LandmarkScheme.ibug68.pointCount) throws -> Sidecar? {
        precondition(pointCount > 0, "pointCount must be positive")
        for base in [photo, photo.deletingPathExtension()] {
            let pts = base.appendingPathExtension("pts"), json = base.appendingPathExtension("json")
            let found = [pts, json].filter { FileManager.default.fileExists(atPath: $0.path) }
            guard let url = found.first else { continue }
            if base != photo, let twin = photoSharingStem(with: photo) {
                throw FaceDataError.malformed(file: url.path, line: nil, reason: "could be the sidecar of \(photo.lastPathComponent) or of \(twin); name it \(photo.lastPathComponent).\(url.pathExtension)")
            }
            if url == pts {
                let points = try PTSFile.read(pts)
                try check([points], in: pts, pointCount: pointCount)
                return Sidecar(url: pts, kind: .pts, faces: [FaceRecord(box: Box(enclosing: points), points: points)])
            }
            let faces = try DetectionRecord(contentsOf: json).faces
            try check(faces.map(\.points), in: json, pointCount: pointCount)
            return Sidecar(url: json, kind: .json, faces: faces)
        }
        return nil
    }

    /// Throws unless every point lies within one photo size of the `width` x `height` photo (a point
    /// far outside is a mistake, and drawing it would walk a huge line).
    public func checkPoints(photoWidth width: Int, photoHeight height: Int) throws {
        for (number, face) in faces.enumerated() {
            if let bad = face.points.firstIndex(where: { !$0.isNear(photoWidth: width, photoHeight: height) }) {
                throw FaceDataError.malformed(file: url.path, line: nil, reason: "face \(number) point \(bad) at (\(face.points[bad].x), \(face.points[bad].y)) lies far outside the \(width)x\(height) photo")
            }
        }
    }

    /// Another photo in `photo`'s folder with the same stem (`b.png` or `b.JPG` for `b.jpg`), if any: a
    /// file, not `photo` itself under another spelling (on a case-insensitive file system).
    private static func photoSharingStem(with photo: URL) -> String? {
        let stem = photo.deletingPathExtension()
        let own = (try? FileManager.default.attributesOfItem(atPath: photo.path))?[.systemFileNumber] as? Int
        return ["jpg", "jpeg", "png", "JPG", "JPEG", "PNG"].lazy.filter { $0 != photo.pathExtension }
            .map { stem.appendingPathExtension($0) }
            .first { other in
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: other.path) else { return false }
                return own == nil || attributes[.systemFileNumber] as? Int != own
            }?.lastPathComponent
    }

    /// Throws unless every face in `faces` has `pointCount` points.
    private static func check(_ faces: [[Point]], in url: URL, pointCount: Int) throws {
        if let bad = faces.firstIndex(where: { $0.count != pointCount }) {
            throw FaceDataError.malformed(file: url.path, line: nil,
                                          reason: "face \(bad) has \(faces[bad].count) points, expected \(pointCount)")
        }
    }
}
