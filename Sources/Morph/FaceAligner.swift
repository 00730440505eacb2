import Imaging
import Plumbing

/// A photo mapped into the output frame together with its keypoints in frame coordinates.
public struct AlignedFace: Sendable {
    /// RGB image of the frame size.
    public let image: Image
    /// Keypoints in frame coordinates (0-based pixel centres, see Image.swift).
    public let points: [Point]

    /// Pairs an aligned RGB image with its keypoints.
    public init(image: Image, points: [Point]) {
        precondition(image.channels == 3, "aligned faces are RGB")
        self.image = image
        self.points = points
    }
}

/// Maps whole photos into a fixed output frame by a similarity transform that puts the two eye
/// centres at fixed places, so faces stay put through the video.
///
/// Eyes are named as seen in the image: `leftEye` has the smaller x in an upright photo (iBUG-68
/// points 36-41, the subject's right eye), `rightEye` is points 42-47. The eyes land on the line
/// `y = eyeLine * (height - 1)`, symmetric about the vertical centre line, `eyeDistance * min(width,
/// height)` apart. The defaults (0.40, 0.22) leave the whole face in a square frame: an adult's chin
/// is about 2 eye distances below the eye line (here at 0.84 of the height), the hairline about 1.3
/// above (0.11).
/// The whole photo is warped; frame areas outside it are filled as `background` says.
public struct FaceAligner: Sendable {
    /// Output frame width (even).
    public let width: Int
    /// Output frame height (even).
    public let height: Int
    /// Eye line as a fraction of the frame height.
    public let eyeLine: Double
    /// Distance between the eye centres as a fraction of the smaller frame side.
    public let eyeDistance: Double
    /// What fills the frame where the photo does not reach.
    public var background = Background.extend

    /// An aligner for a `width` x `height` frame; throws when a side is not positive and even.
    public init(width: Int = 720, height: Int = 720, eyeLine: Double = 0.40, eyeDistance: Double = 0.22,
                background: Background = .extend) throws {
        guard width > 0, height > 0, width % 2 == 0, height % 2 == 0 else {
            throw MorphError.invalidFrameSize(width: width, height: height)
        }
        precondition(eyeLine > 0 && eyeLine < 1 && eyeDistance > 0 && eyeDistance < 1, "framing fractions must be in (0, 1)")
        (self.width, self.height, self.eyeLine, self.eyeDistance) = (width, height, eyeLine, eyeDistance)
        self.background = background
    }

    /// The face's skin in the frame: from half an eye distance above the eye line to 1.6 below it
    /// (forehead to chin), 0.75 eye distances either side of the centre line (inside the cheeks).
    public var faceRegion: Box {
        let (left, right) = eyeTargets, eye = right.x - left.x
        return Box(x: (left.x + right.x) / 2 - 0.75 * eye, y: left.y - 0.5 * eye, width: 1.5 * eye, height: 2.1 * eye)
    }

    /// Where the left and right eye centres land in the frame.
    public var eyeTargets: (left: Point, right: Point) {
        let cx = Double(width - 1) / 2, y = eyeLine * Double(height - 1)
        let half = eyeDistance * Double(min(width, height)) / 2
        return (Point(x: cx - half, y: y), Point(x: cx + half, y: y))
    }

    /// The eye centres (means of points 36-41 and 42-47) of an iBUG 68-point shape.
    public static func eyeCentres(ibug68 points: [Point]) throws -> (left: Point, right: Point) {
        guard points.count >= 68 else { throw MorphError.tooFewKeypoints(count: points.count) }
        func mean(_ range: Range<Int>) -> Point {
            let sum = points[range].reduce(Point(x: 0, y: 0)) { Point(x: $0.x + $1.x, y: $0.y + $1.y) }
            return Point(x: sum.x / Double(range.count), y: sum.y / Double(range.count))
        }
        return (mean(36..<42), mean(42..<48))
    }

    /// The similarity transform from photo coordinates to frame coordinates for the given eyes.
    public func transform(leftEye: Point, rightEye: Point) throws -> AffineTransform {
        guard [leftEye.x, leftEye.y, rightEye.x, rightEye.y].allSatisfy(\.isFinite) else { throw MorphError.nonFiniteEyes }
        let targets = eyeTargets
        guard let map = AffineTransform.similarity(from: (leftEye, rightEye), to: (targets.left, targets.right)) else {
            throw MorphError.eyesCoincide
        }
        return map
    }

    /// Aligns a photo with iBUG 68-point keypoints (photo coordinates) into the frame.
    public func align(_ image: Image, ibug68 keypoints: [Point]) throws -> AlignedFace {
        let eyes = try Self.eyeCentres(ibug68: keypoints)
        return try align(image, keypoints: keypoints, leftEye: eyes.left, rightEye: eyes.right)
    }

    /// Aligns a photo with any keypoints, given its eye centres (all in photo coordinates).
    public func align(_ image: Image, keypoints: [Point], leftEye: Point, rightEye: Point) throws -> AlignedFace {
        let frameFromPhoto = try transform(leftEye: leftEye, rightEye: rightEye)
        return AlignedFace(image: warp(image, frameFromPhoto: frameFromPhoto), points: keypoints.map(frameFromPhoto.apply))
    }

    /// The frame-sized RGB warp of `image` through `frameFromPhoto`, filled outside the photo as `background` says.
    public func warp(_ image: Image, frameFromPhoto: AffineTransform) -> Image {
        guard var photoFromFrame = frameFromPhoto.inverted else { preconditionFailure("singular alignment transform") }
        var source = image.asRGB()
        // Box-halve the photo until the frame samples it at least every 2 pixels, so bilinear does not alias.
        let halfFromFull = AffineTransform(a: 0.5, b: 0, c: 0, d: 0.5, tx: -0.25, ty: -0.25)
        var scale = frameFromPhoto.determinant.magnitude.squareRoot()
        while scale < 0.5 && min(source.width, source.height) > 1 {
            source = source.halvedRGB()
            photoFromFrame = halfFromFull.concatenating(after: photoFromFrame)
            scale *= 2
        }
        var out = Image(width: width, height: height, channels: 3)
        let padded = PaddedRGB(source), outWidth = width
        let (limitX, limitY) = (Float(padded.width - 1), Float(padded.height - 1))
        let map = photoFromFrame
        // How far outside the photo a frame pixel is, in frame pixels, over the fill's feather width.
        let (right, bottom) = (Double(padded.width) - 0.5, Double(padded.height) - 0.5)
        let outsideScale = scale / (BlurredFill.featherShare * Double(min(width, height)))
        let background = self.background
        var mask = [UInt8](repeating: 0, count: background == .blur ? width * height : 0)
        padded.samples.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                mask.withUnsafeMutableBufferPointer { mask in
                    let (src, dst) = (src.baseAddress!, dst.baseAddress!)
                    Parallel.forEach(height, chunksPerCore: 2) { rows in
                        for y in rows {
                            for x in 0..<outWidth {
                                let p = map.apply(Point(x: Double(x), y: Double(y)))
                                if background != .extend {
                                    let outside = max(-0.5 - p.x, p.x - right, -0.5 - p.y, p.y - bottom) * outsideScale
                                    if outside > 0 && background == .black { continue }
                                    if outside > 0 { mask[y * outWidth + x] = UInt8(min(outside, 1) * 255) }
                                }
                                let fx = Bilinear.fixed(Float(reflect(p.x, size: padded.width)), limit: limitX)
                                let fy = Bilinear.fixed(Float(reflect(p.y, size: padded.height)), limit: limitY)
                                let (r, g, b) = Bilinear.rgb(src, stride: padded.stride, fx: fx, fy: fy)
                                let o = dst + (y * outWidth + x) * 3
                                (o[0], o[1], o[2]) = (UInt8((r + 32768) >> 16), UInt8((g + 32768) >> 16), UInt8((b + 32768) >> 16))
                            }
                        }
                    }
                }
            }
        }
        if mask.contains(where: { $0 > 0 }) { BlurredFill.blend(into: &out, mask: mask) }
        return out
    }
}

/// `value` mirrored into [0, size - 1] about the edge pixel centres (…, 2, 1, 0, 1, 2, …).
@inline(__always)
func reflect(_ value: Double, size: Int) -> Double {
    let last = Double(size - 1)
    if value >= 0 && value <= last { return value }
    guard last > 0 else { return 0 }
    let period = 2 * last
    var r = value.truncatingRemainder(dividingBy: period)
    if r < 0 { r += period }
    return r > last ? period - r : r
}
