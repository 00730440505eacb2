import Dispatch
import Foundation
import Imaging
import NeuralNet

/// Synthesises training canvases for the face finder: a background cut from a photo away from its
/// face, then either a whole photo zoomed so that its face takes a random size (with the face's real
/// surroundings: hair, body, other things) or zero to two faces pasted as feathered discs; each at a
/// random place, rotation (±30°) and mirroring; then brightness, contrast and blur changes. Targets
/// are the landmark boxes of the faces of 12-100 px; larger faces are shown unlabelled.
struct FaceFinderSampler {
    /// The square canvas side in pixels (a multiple of the network stride).
    let canvas: Int
    /// Faces to paste and photos to cut backgrounds from.
    let faces: [TrainingExample]
    var minFace = 12.0, maxFace = 100.0, maxRotation = 30.0

    /// Fills `input` [B, 1, S, S] and `target` [B, 5, S/16, S/16] (heat, offset x, offset y, log w, log h).
    func fill(count: Int, seed: UInt64, input: Tensor, target: Tensor) {
        let grid = canvas / FaceFinderNetwork.stride, plane = canvas * canvas
        input.resize(to: [count, 1, canvas, canvas])
        target.resize(to: [count, FaceFinderNetwork.outputs, grid, grid])
        target.zero()
        DispatchQueue.concurrentPerform(iterations: count) { i in
            var rng = SplitMix64(seed: seed ^ (UInt64(i + 1) &* 0x9E37_79B9_7F4A_7C15))
            let (image, boxes) = compose(&rng)
            let contrast = 1 + rng.uniform(-0.3, 0.3), brightness = rng.uniform(-0.2, 0.2)
            BatchBuilder.normalise(image.pixels[...], into: input.data + i * plane, contrast: contrast, brightness: brightness)
            FaceFinderSampler.encode(boxes, into: target.data + i * FaceFinderNetwork.outputs * grid * grid, grid: grid)
        }
    }

    /// One canvas and the landmark boxes of the faces on it.
    ///
    /// Faces larger than `maxFace` appear unlabelled: at inference a face too large for one pyramid
    /// level must not be found there as a cluster of small "faces" (eyes, mouth).
    func compose(_ rng: inout SplitMix64) -> (Image, [Box]) {
        var image = background(&rng)
        var boxes = [Box]()
        let roll = rng.nextFloat()
        if roll < 0.6 {
            let size = exp(Double(rng.uniform(Float(log(minFace)), Float(log(maxFace * 2.5)))))
            let box = pasteRandomFace(size: size, feathered: false, onto: &image, &rng)
            if size <= maxFace { boxes.append(box) }
        } else if roll < 0.92 {
            if rng.nextFloat() < 0.33 {
                _ = pasteRandomFace(size: maxFace * Double(rng.uniform(1.4, 4)), feathered: true, onto: &image, &rng)
            }
            for _ in 0..<(rng.nextFloat() < 0.7 ? 1 : 2) {
                let size = exp(Double(rng.uniform(Float(log(minFace)), Float(log(maxFace)))))
                boxes.append(pasteRandomFace(size: size, feathered: true, onto: &image, &rng))
            }
        }
        if rng.nextFloat() < 0.2 { image = image.gaussianBlurred3x3() }
        return (image, boxes)
    }

    /// Pastes a random face whose landmark box's longer side becomes `size` pixels, at a random place,
    /// rotation and mirroring: a feathered disc around the face, or (not `feathered`) its whole photo.
    /// Returns the face's landmark box on the canvas.
    func pasteRandomFace(size: Double, feathered: Bool, onto image: inout Image, _ rng: inout SplitMix64) -> Box {
        let face = faces[Int(rng.next() % UInt64(faces.count))]
        let angle = Double(rng.uniform(Float(-maxRotation), Float(maxRotation))) * .pi / 180
        let centre = Point(x: Double(rng.uniform(0.1, 0.9)) * Double(canvas), y: Double(rng.uniform(0.1, 0.9)) * Double(canvas))
        let side = max(face.landmarkBox.width, face.landmarkBox.height)
        var canvasFromPhoto = AffineTransform.translation(centre.x, centre.y)
            .concatenating(after: .rotation(angle))
            .concatenating(after: .scale(size / side, size / side))
            .concatenating(after: .translation(-face.landmarkBox.center.x, -face.landmarkBox.center.y))
        if rng.nextFloat() < 0.5 {
            canvasFromPhoto = AffineTransform(a: -1, b: 0, c: 0, d: 1, tx: 2 * centre.x, ty: 0).concatenating(after: canvasFromPhoto)
        }
        paste(face, canvasFromPhoto: canvasFromPhoto, radius: feathered ? 0.95 * side : nil, onto: &image)
        return Box(enclosing: face.points.map { canvasFromPhoto.apply($0) })
    }

    /// A canvas without a face: half the time cut from a random photo where it does not overlap that
    /// photo's face, else (or when no such region fits) made-up clutter.
    func background(_ rng: inout SplitMix64) -> Image {
        let photo = faces[Int(rng.next() % UInt64(faces.count))]
        let face = photo.landmarkBox
        let forbidden = Box(x: face.x - face.width * 0.3, y: face.y - face.height * 0.5,
                            width: face.width * 1.6, height: face.height * 1.8)
        for _ in 0..<(rng.nextFloat() < 0.5 ? 10 : 0) {
            let side = Double(rng.uniform(0.1, 0.6)) * Double(min(photo.image.width, photo.image.height))
            let x = Double(rng.uniform(0, 1)) * (Double(photo.image.width) - side)
            let y = Double(rng.uniform(0, 1)) * (Double(photo.image.height) - side)
            let region = Box(x: x, y: y, width: side, height: side)
            guard region.iou(forbidden) * (region.area + forbidden.area) < 0.05 * region.area else { continue }
            let photoFromCanvas = AffineTransform.translation(x, y).concatenating(after: .scale(side / Double(canvas), side / Double(canvas)))
            return photo.image.warped(sourceFromOutput: photoFromCanvas, width: canvas, height: canvas)
        }
        return clutter(&rng)
    }

    /// Made-up scenery: a grey gradient under random rectangles, discs and lines, with noise.
    func clutter(_ rng: inout SplitMix64) -> Image {
        var pixels = [Float](repeating: 0, count: canvas * canvas)
        let base = rng.uniform(30, 220), gx = rng.uniform(-1, 1), gy = rng.uniform(-1, 1)
        for y in 0..<canvas {
            for x in 0..<canvas { pixels[y * canvas + x] = base + gx * Float(x - canvas / 2) + gy * Float(y - canvas / 2) }
        }
        let size = Float(canvas)
        for _ in 0..<Int(rng.next() % 12) {
            let value = rng.uniform(0, 255), cx = rng.uniform(0, size), cy = rng.uniform(0, size)
            let rx = rng.uniform(2, size / 3), ry = rng.uniform(2, size / 3), kind = rng.next() % 3
            for y in max(0, Int(cy - ry))..<min(canvas, Int(cy + ry) + 1) {
                for x in max(0, Int(cx - rx))..<min(canvas, Int(cx + rx) + 1) {
                    let dx = (Float(x) - cx) / rx, dy = (Float(y) - cy) / ry
                    let inside = switch kind {
                    case 0: true                                   // rectangle
                    case 1: dx * dx + dy * dy <= 1                 // disc
                    default: abs(dy - dx) < 2 / min(rx, ry) * 1.5  // diagonal bar
                    }
                    if inside { pixels[y * canvas + x] = value }
                }
            }
        }
        let noise = rng.uniform(0, 12)
        let bytes = pixels.map { UInt8(max(0, min(255, $0 + noise * rng.uniform(-1, 1)))) }
        let image = Image(width: canvas, height: canvas, channels: 1, pixels: bytes)
        return rng.nextFloat() < 0.5 ? image.gaussianBlurred3x3() : image
    }

    /// Blends `face`'s photo onto `image`: a feathered disc of `radius` photo pixels around the
    /// landmark box centre, or (`radius` nil) all of the photo that lands on the canvas.
    func paste(_ face: TrainingExample, canvasFromPhoto: Imaging.AffineTransform, radius: Double?, onto image: inout Image) {
        guard let photoFromCanvas = canvasFromPhoto.inverted else { return }
        let centre = face.landmarkBox.center
        for y in 0..<canvas {
            for x in 0..<canvas {
                let p = photoFromCanvas.apply(Point(x: Double(x), y: Double(y)))
                guard p.x >= 0, p.y >= 0, p.x <= Double(face.image.width - 1), p.y <= Double(face.image.height - 1) else { continue }
                var weight = 1.0
                if let radius {
                    let d = p.distance(to: centre) / radius
                    guard d < 1 else { continue }
                    weight = min(1, (1 - d) / 0.25)
                }
                let value = face.image.sample(x: p.x, y: p.y, channel: 0)
                let old = Double(image[x, y, 0])
                image[x, y, 0] = UInt8(max(0, min(255, old + (value - old) * weight + 0.5)))
            }
        }
    }

    /// Heat map (Gaussian around each centre cell, 1 at the cell) and box regressions at centre cells.
    static func encode(_ boxes: [Box], into target: UnsafeMutablePointer<Float>, grid: Int) {
        let stride = Double(FaceFinderNetwork.stride), cells = grid * grid
        for box in boxes {
            let cx = box.center.x / stride, cy = box.center.y / stride
            let gx = Int(cx), gy = Int(cy)
            guard gx >= 0, gy >= 0, gx < grid, gy < grid else { continue }
            let sigma = max(0.6, max(box.width, box.height) / stride / 6)
            for y in 0..<grid {
                for x in 0..<grid {
                    let d2 = Double((x - gx) * (x - gx) + (y - gy) * (y - gy))
                    target[y * grid + x] = max(target[y * grid + x], Float(exp(-d2 / (2 * sigma * sigma))))
                }
            }
            let cell = gy * grid + gx
            target[cell] = 1
            target[cells + cell] = Float(cx - Double(gx))
            target[2 * cells + cell] = Float(cy - Double(gy))
            target[3 * cells + cell] = Float(log(max(box.width, 1) / stride))
            target[4 * cells + cell] = Float(log(max(box.height, 1) / stride))
        }
    }
}
