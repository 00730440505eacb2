import Dispatch
import FaceAnalysis
import Foundation
import Imaging
import NeuralNet
import Training

/// Synthesises training canvases for the face finder on a background cut from a photo away from its
/// faces: either a real scene (a whole photo with every face known in it) zoomed so that one of its
/// faces takes a random size, or zero to two faces pasted as feathered discs; each at a random place,
/// rotation and mirroring; a quarter of the faces to find then get partly hidden (`occlude`: behind
/// another face or a patch of background); then
/// brightness, contrast and blur changes. Targets are the landmark boxes
/// of the faces of 12-100 px; faces a little outside that range, and the scenes' unsure faces, are
/// left out of the loss; much larger faces are shown unlabelled.
struct FaceFinderSampler {
    /// The square canvas side in pixels (a multiple of the network stride).
    let canvas: Int
    /// Faces to paste.
    let faces: [TrainingExample]
    /// Real scenes in groups drawn with the given weights (each group's scenes equally often).
    let sceneGroups: [(weight: Double, scenes: [FaceScene])]
    var minFace = 12.0, maxFace = 100.0, maxRotation = 30.0, maxSceneRotation = 15.0
    /// Faces up to this many times `maxFace` are left out of the loss rather than shown as background.
    var ignoredOversize = 1.5
    /// Share of the faces to find that get partly hidden (`occlude`).
    var occludedShare = 0.25

    /// A sampler pasting `faces` and showing the scenes of `sceneGroups` (by default each face's own photo).
    init(canvas: Int, faces: [TrainingExample], sceneGroups: [(weight: Double, scenes: [FaceScene])]? = nil) {
        self.canvas = canvas
        self.faces = faces
        self.sceneGroups = (sceneGroups ?? [(1, faces.map(FaceScene.init))]).filter { $0.weight > 0 && !$0.scenes.isEmpty }
        precondition(!self.sceneGroups.isEmpty, "the face finder's sampler needs at least one scene")
    }

    /// Fills `input` [B, 1, S, S] and `target` [B, 5, S/16, S/16] (heat, offset x, offset y, log w, log h;
    /// heat -1 where the loss ignores the cell).
    func fill(count: Int, seed: UInt64, input: Tensor, target: Tensor) {
        let grid = canvas / FaceFinderNetwork.stride, plane = canvas * canvas
        input.resize(to: [count, 1, canvas, canvas])
        target.resize(to: [count, FaceFinderNetwork.outputs, grid, grid])
        target.zero()
        DispatchQueue.concurrentPerform(iterations: count) { i in
            var rng = SplitMix64(seed: seed ^ (UInt64(i + 1) &* 0x9E37_79B9_7F4A_7C15))
            let (image, boxes, ignored) = compose(&rng)
            let contrast = 1 + rng.uniform(-0.3, 0.3), brightness = rng.uniform(-0.2, 0.2)
            GreyInput.normalise(image.pixels[...], into: input.data + i * plane, contrast: contrast, brightness: brightness)
            FaceFinderSampler.encode(boxes, ignoring: ignored, into: target.data + i * FaceFinderNetwork.outputs * grid * grid,
                                     grid: grid)
        }
    }

    /// One canvas, the landmark boxes of the faces to find on it and those to leave out of the loss.
    ///
    /// Faces much larger than `maxFace` appear unlabelled: at inference a face too large for one pyramid
    /// level must not be found there as a cluster of small "faces" (eyes, mouth).
    func compose(_ rng: inout SplitMix64) -> (Image, [Box], [Box]) {
        var image = background(&rng)
        var boxes = [Box](), ignored = [Box]()
        let roll = rng.nextFloat()
        if roll < 0.6 {
            showScene(onto: &image, faces: &boxes, ignored: &ignored, &rng)
        } else if roll < 0.92 {
            if rng.nextFloat() < 0.33 {
                _ = pasteRandomFace(size: maxFace * Double(rng.uniform(1.4, 4)), onto: &image, &rng)
            }
            for _ in 0..<(rng.nextFloat() < 0.7 ? 1 : 2) {
                let size = exp(Double(rng.uniform(Float(log(minFace)), Float(log(maxFace)))))
                boxes.append(pasteRandomFace(size: size, onto: &image, &rng))
            }
        }
        for box in boxes where rng.nextFloat() < Float(occludedShare) {
            occlude(box, onto: &image, faces: &boxes, ignored: &ignored, &rng)
        }
        if rng.nextFloat() < 0.2 { image = image.gaussianBlurred3x3() }
        return (image, boxes, ignored)
    }

    /// Hides 20-50% of the depth of the face in `face` from a random side, as in a group photo: half
    /// the time behind another face of about its size pasted in front (added to `faces` when the
    /// finder should find it, else to `ignored`), else behind a feathered disc of another background
    /// (a shoulder, a hand). The hidden face's centre stays visible.
    func occlude(_ face: Box, onto image: inout Image, faces: inout [Box], ignored: inout [Box], _ rng: inout SplitMix64) {
        let side = max(face.width, face.height), angle = Double(rng.uniform(0, 2 * .pi))
        let depth = side * Double(rng.uniform(0.2, 0.5))
        // The cover's disc reaches `depth` into the face from the edge of its box: its centre lies
        // radius + side / 2 - depth away, at least a radius, so the face's centre stays out of it.
        let place = { (radius: Double) in
            Point(x: face.center.x + cos(angle) * (radius + side / 2 - depth), y: face.center.y + sin(angle) * (radius + side / 2 - depth))
        }
        if rng.nextFloat() < 0.5 {
            let size = side * Double(rng.uniform(0.8, 1.25)), radius = FaceFinderSampler.frontFaceDisc * size
            let front = pasteRandomFace(size: size, at: place(radius), disc: FaceFinderSampler.frontFaceDisc, onto: &image, &rng)
            if teaches(front) { faces.append(front) } else { ignored.append(front) }
        } else {
            let radius = side * Double(rng.uniform(0.25, 0.5))
            paste(background(&rng), canvasFromPhoto: .identity, disc: (place(radius), radius), onto: &image)
        }
    }

    /// Whether a face placed at `box` is one to find: its centre on the canvas, its longer side from
    /// `minFace` to `maxFace`.
    func teaches(_ box: Box) -> Bool {
        let centre = box.center, side = max(box.width, box.height)
        return centre.x >= 0 && centre.y >= 0 && centre.x < Double(canvas) && centre.y < Double(canvas)
            && side >= minFace && side <= maxFace
    }

    /// The disc of a face pasted in front of another, in units of its landmark box's longer side:
    /// the face without much of its surroundings.
    static let frontFaceDisc = 0.65

    /// A random scene of a random group.
    func randomScene(_ rng: inout SplitMix64) -> FaceScene {
        let total = sceneGroups.reduce(0) { $0 + $1.weight }
        var draw = Double(rng.nextFloat()) * total
        let group = sceneGroups.first { draw -= $0.weight; return draw < 0 } ?? sceneGroups[sceneGroups.count - 1]
        return group.scenes[Int(rng.next() % UInt64(group.scenes.count))]
    }

    /// Draws a random scene over `image`, one of its faces (any of them when none is sure) given a random
    /// size between `minFace` and 2.5 `maxFace`, and sorts its faces into those to find and to ignore.
    func showScene(onto image: inout Image, faces: inout [Box], ignored: inout [Box], _ rng: inout SplitMix64) {
        let scene = randomScene(&rng)
        let candidates = scene.faces.isEmpty ? scene.unsure : scene.faces
        let side = Double(min(scene.image.width, scene.image.height))
        let reference = candidates.isEmpty ? Box(x: 0, y: 0, width: side / 4, height: side / 4)
            : candidates[Int(rng.next() % UInt64(candidates.count))]
        let size = exp(Double(rng.uniform(Float(log(minFace)), Float(log(maxFace * 2.5)))))
        let scale = size / max(reference.width, reference.height)
        let angle = Double(rng.uniform(Float(-maxSceneRotation), Float(maxSceneRotation))) * .pi / 180
        let centre = Point(x: Double(rng.uniform(0.1, 0.9)) * Double(canvas), y: Double(rng.uniform(0.1, 0.9)) * Double(canvas))
        let transform = placement(centre: centre, angle: angle, scale: scale, from: reference.center, mirrored: rng.nextFloat() < 0.5)
        paste(scene.image, canvasFromPhoto: transform, disc: nil, onto: &image)
        let limit = maxFace * ignoredOversize
        for box in scene.faces {
            let placed = FaceFinderSampler.place(box, transform, scale: scale)
            if teaches(placed) { faces.append(placed) } else if max(placed.width, placed.height) <= limit { ignored.append(placed) }
        }
        for box in scene.unsure {
            let placed = FaceFinderSampler.place(box, transform, scale: scale)
            if max(placed.width, placed.height) <= limit { ignored.append(placed) }
        }
    }

    /// `box` under `transform` (which scales by `scale`): its centre moved, its sides scaled.
    static func place(_ box: Box, _ transform: Imaging.AffineTransform, scale: Double) -> Box {
        let centre = transform.apply(box.center), width = box.width * scale, height = box.height * scale
        return Box(x: centre.x - width / 2, y: centre.y - height / 2, width: width, height: height)
    }

    /// The canvas-from-photo transform putting the photo point `origin` at `centre`, scaled and rotated,
    /// mirrored about `centre` when asked.
    func placement(centre: Point, angle: Double, scale: Double, from origin: Point, mirrored: Bool) -> Imaging.AffineTransform {
        let transform = AffineTransform.translation(centre.x, centre.y)
            .concatenating(after: .rotation(angle))
            .concatenating(after: .scale(scale, scale))
            .concatenating(after: .translation(-origin.x, -origin.y))
        guard mirrored else { return transform }
        return AffineTransform(a: -1, b: 0, c: 0, d: 1, tx: 2 * centre.x, ty: 0).concatenating(after: transform)
    }

    /// Pastes a random face whose landmark box's longer side becomes `size` pixels as a feathered disc
    /// (radius `disc` times that side) centred at `centre` (random when nil), at a random rotation and
    /// mirroring. Returns the face's landmark box on the canvas.
    func pasteRandomFace(size: Double, at centre: Point? = nil, disc: Double = 0.95, onto image: inout Image,
                         _ rng: inout SplitMix64) -> Box {
        let face = faces[Int(rng.next() % UInt64(faces.count))]
        let angle = Double(rng.uniform(Float(-maxRotation), Float(maxRotation))) * .pi / 180
        let centre = centre ?? Point(x: Double(rng.uniform(0.1, 0.9)) * Double(canvas), y: Double(rng.uniform(0.1, 0.9)) * Double(canvas))
        let side = max(face.landmarkBox.width, face.landmarkBox.height)
        let canvasFromPhoto = placement(centre: centre, angle: angle, scale: size / side, from: face.landmarkBox.center,
                                        mirrored: rng.nextFloat() < 0.5)
        paste(face.image, canvasFromPhoto: canvasFromPhoto, disc: (face.landmarkBox.center, disc * side), onto: &image)
        return Box(enclosing: face.points.map { canvasFromPhoto.apply($0) })
    }

    /// A canvas without a face: half the time cut from a random scene where it overlaps none of that
    /// scene's faces (sure or not), else (or when no such region fits) made-up clutter.
    func background(_ rng: inout SplitMix64) -> Image {
        let scene = randomScene(&rng)
        let forbidden = (scene.faces + scene.unsure).map { face in
            Box(x: face.x - face.width * 0.3, y: face.y - face.height * 0.5, width: face.width * 1.6, height: face.height * 1.8)
        }
        for _ in 0..<(rng.nextFloat() < 0.5 ? 10 : 0) {
            let side = Double(rng.uniform(0.1, 0.6)) * Double(min(scene.image.width, scene.image.height))
            let x = Double(rng.uniform(0, 1)) * (Double(scene.image.width) - side)
            let y = Double(rng.uniform(0, 1)) * (Double(scene.image.height) - side)
            let region = Box(x: x, y: y, width: side, height: side)
            guard forbidden.allSatisfy({ region.intersection($0) < 0.05 * region.area }) else { continue }
            let photoFromCanvas = AffineTransform.translation(x, y).concatenating(after: .scale(side / Double(canvas), side / Double(canvas)))
            return scene.image.warped(sourceFromOutput: photoFromCanvas, width: canvas, height: canvas)
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

    /// Blends `photo` onto `image`: a feathered disc (`centre` and `radius` in photo pixels), or (`disc`
    /// nil) all of the photo that lands on the canvas.
    func paste(_ photo: Image, canvasFromPhoto: Imaging.AffineTransform, disc: (centre: Point, radius: Double)?,
               onto image: inout Image) {
        guard let photoFromCanvas = canvasFromPhoto.inverted else { return }
        for y in 0..<canvas {
            for x in 0..<canvas {
                let p = photoFromCanvas.apply(Point(x: Double(x), y: Double(y)))
                guard p.x >= 0, p.y >= 0, p.x <= Double(photo.width - 1), p.y <= Double(photo.height - 1) else { continue }
                var weight = 1.0
                if let disc {
                    let d = p.distance(to: disc.centre) / disc.radius
                    guard d < 1 else { continue }
                    weight = min(1, (1 - d) / 0.25)
                }
                let value = photo.sample(x: p.x, y: p.y, channel: 0)
                let old = Double(image[x, y, 0])
                image[x, y, 0] = UInt8(max(0, min(255, old + (value - old) * weight + 0.5)))
            }
        }
    }

    /// Heat map (Gaussian around each centre cell, 1 at the cell) and box regressions at centre cells of
    /// `boxes`; then -1 (left out of the loss) on the heat map over each of `ignored` (at least its centre
    /// cell and its neighbours), except at centre cells.
    static func encode(_ boxes: [Box], ignoring ignored: [Box] = [], into target: UnsafeMutablePointer<Float>, grid: Int) {
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
        for box in ignored {
            let reach = max(1.0, max(box.width, box.height) / stride / 2)
            let cx = box.center.x / stride, cy = box.center.y / stride
            let x0 = max(0, Int((cx - reach).rounded(.down))), x1 = min(grid - 1, Int((cx + reach).rounded(.down)))
            let y0 = max(0, Int((cy - reach).rounded(.down))), y1 = min(grid - 1, Int((cy + reach).rounded(.down)))
            guard x0 <= x1, y0 <= y1 else { continue }
            for y in y0...y1 {
                for x in x0...x1 where target[y * grid + x] < 1 { target[y * grid + x] = -1 }
            }
        }
    }
}
