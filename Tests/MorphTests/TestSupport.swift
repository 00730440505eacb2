import Foundation
import Imaging
@testable import Morph

/// A deterministic 64-bit linear congruential generator for reproducible test points.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func unit() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
}

/// Twice the signed area of triangle (a, b, c).
func doubledArea(_ a: Point, _ b: Point, _ c: Point) -> Double {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

/// Area of the convex hull of `points` (Andrew's monotone chain).
func hullArea(_ points: [Point]) -> Double {
    let sorted = Set(points).sorted { ($0.x, $0.y) < ($1.x, $1.y) }
    guard sorted.count >= 3 else { return 0 }
    func chain(_ pts: [Point]) -> [Point] {
        var h: [Point] = []
        for p in pts {
            while h.count >= 2 && doubledArea(h[h.count - 2], h[h.count - 1], p) <= 0 { h.removeLast() }
            h.append(p)
        }
        return h
    }
    let hull = chain(sorted).dropLast() + chain(sorted.reversed()).dropLast()
    var area = 0.0
    for i in hull.indices {
        let p = hull[i], q = hull[(i + 1) % hull.count]
        area += p.x * q.y - q.x * p.y
    }
    return abs(area) / 2
}

/// An RGB test image whose samples encode their position.
func patternImage(width: Int, height: Int, seed: Int) -> Image {
    var image = Image(width: width, height: height, channels: 3)
    for y in 0..<height {
        for x in 0..<width {
            image[x, y, 0] = UInt8(truncatingIfNeeded: x * 3 + seed)
            image[x, y, 1] = UInt8(truncatingIfNeeded: y * 5 + seed * 7)
            image[x, y, 2] = UInt8(truncatingIfNeeded: (x * y) / 7 + seed)
        }
    }
    return image
}

/// A black RGB image with a bright Gaussian blob centred at `center`.
func blobImage(width: Int, height: Int, center: Point, sigma: Double = 1.5) -> Image {
    var image = Image(width: width, height: height, channels: 3)
    for y in 0..<height {
        for x in 0..<width {
            let d2 = (Double(x) - center.x) * (Double(x) - center.x) + (Double(y) - center.y) * (Double(y) - center.y)
            let v = UInt8((255 * exp(-d2 / (2 * sigma * sigma))).rounded())
            for c in 0..<3 { image[x, y, c] = v }
        }
    }
    return image
}

/// Intensity-weighted centroid of channel 0 within `radius` pixels of `near`.
func centroid(_ image: Image, near: Point, radius: Int = 8) -> Point {
    var sx = 0.0, sy = 0.0, sw = 0.0
    let cx = Int(near.x.rounded()), cy = Int(near.y.rounded())
    for y in max(0, cy - radius)...min(image.height - 1, cy + radius) {
        for x in max(0, cx - radius)...min(image.width - 1, cx + radius) {
            let w = Double(image[x, y, 0])
            sx += w * Double(x)
            sy += w * Double(y)
            sw += w
        }
    }
    return Point(x: sx / sw, y: sy / sw)
}

/// A smooth RGB image (slow sinusoids), where bilinear resampling errors stay small.
func smoothImage(width: Int, height: Int) -> Image {
    var image = Image(width: width, height: height, channels: 3)
    for y in 0..<height {
        for x in 0..<width {
            image[x, y, 0] = UInt8((128 + 100 * sin(Double(x) / 5) * cos(Double(y) / 7)).rounded())
            image[x, y, 1] = UInt8((128 + 90 * cos(Double(x + y) / 6)).rounded())
            image[x, y, 2] = UInt8(2 * x + y)
        }
    }
    return image
}
