import Foundation
import NeuralNet

/// Integral regression over the cells of ResNet18's last feature map: each cell votes for every
/// point (its own centre plus a predicted offset), and the point is the softmax-weighted mean of
/// the votes (soft-argmax, as Sun et al. 2018, with PIPNet's per-cell offsets).
///
/// Network output per example, [3P, h, w]: P score maps, then P x-offset maps, then P y-offset
/// maps. Coordinates and offsets are in the crop's [-1, 1] units, as `KeypointModelSpec.encode`.
public struct IntegralHead: Sendable {
    /// Points predicted (P).
    public let points: Int
    /// The feature map's size in cells.
    public let gridWidth: Int, gridHeight: Int

    /// Output channels: P scores, P x offsets, P y offsets.
    public var channels: Int { 3 * points }

    /// Network outputs per example: 3P * h * w.
    public var outputCount: Int { channels * cells }

    private var cells: Int { gridWidth * gridHeight }

    /// The centre of cell `c` (row-major) in [-1, 1] units.
    private func centre(_ c: Int) -> (x: Float, y: Float) {
        (Float(2 * (c % gridWidth) + 1) / Float(gridWidth) - 1, Float(2 * (c / gridWidth) + 1) / Float(gridHeight) - 1)
    }

    /// Softmax of point `k`'s scores into `weights` (h * w values).
    private func weights(_ output: UnsafePointer<Float>, point k: Int, into weights: inout [Float]) {
        let scores = output + k * cells
        var largest = -Float.infinity
        for c in 0..<cells { largest = max(largest, scores[c]) }
        var total: Float = 0
        for c in 0..<cells {
            weights[c] = exp(scores[c] - largest)
            total += weights[c]
        }
        for c in 0..<cells { weights[c] /= total }
    }

    /// The vote of cell `c` for point `k`: its centre plus its offset.
    private func vote(_ output: UnsafePointer<Float>, point k: Int, cell c: Int) -> (x: Float, y: Float) {
        let (x, y) = centre(c)
        return (x + output[(points + k) * cells + c], y + output[(2 * points + k) * cells + c])
    }

    /// The 2P coordinates (x, y per point, [-1, 1] units) of one example's output.
    func coordinates(_ output: UnsafePointer<Float>, into result: UnsafeMutablePointer<Float>) {
        var p = [Float](repeating: 0, count: cells)
        for k in 0..<points {
            weights(output, point: k, into: &p)
            var x: Float = 0, y: Float = 0
            for c in 0..<cells {
                let v = vote(output, point: k, cell: c)
                x += p[c] * v.x
                y += p[c] * v.y
            }
            result[2 * k] = x
            result[2 * k + 1] = y
        }
    }

    /// The cells around point (`x`, `y`) ([-1, 1] units) with bilinear weights summing to 1: the
    /// weighted mean of their centres is the point (clamped to the grid's outermost centres).
    func cellTarget(x: Float, y: Float) -> [(cell: Int, weight: Float)] {
        // Cell coordinates: cell i's centre is at i.
        func split(_ value: Float, _ size: Int) -> [(index: Int, weight: Float)] {
            let u = min(max((value + 1) / 2 * Float(size) - 0.5, 0), Float(size - 1))
            let low = Int(u)
            let fraction = u - Float(low)
            return fraction > 0 ? [(low, 1 - fraction), (low + 1, fraction)] : [(low, Float(1))]
        }
        return split(y, gridHeight).flatMap { row in
            split(x, gridWidth).map { column in (row.index * gridWidth + column.index, row.weight * column.weight) }
        }
    }

    /// `coordinateLoss` (a training loss on [N, 2P] coordinates, with its gradient) of the coordinates
    /// of `output` [N, 3P, h, w] against `target` [N, 2P], with its gradient carried back through the
    /// soft-argmax to the output's shape; plus, when `cellWeight` is above 0, that weight times the
    /// cross-entropy of each point's cell softmax against `cellTarget` (mean over points), which
    /// teaches the scores to peak where the point is.
    public func loss(_ output: Tensor, _ target: Tensor, cellWeight: Float = 0,
                     coordinateLoss: (Tensor, Tensor) -> Loss.Result) -> Loss.Result {
        let n = output.shape[0]
        precondition(output.count == n * outputCount, "integral head expects [N, \(channels), \(gridHeight), \(gridWidth)], got \(output.shape)")
        let coordinates = Tensor(shape: [n, 2 * points])
        for row in 0..<n { self.coordinates(output.data + row * outputCount, into: coordinates.data + row * 2 * points) }
        let result = coordinateLoss(coordinates, target)
        let gradient = Tensor(shape: output.shape)
        var p = [Float](repeating: 0, count: cells)
        var crossEntropy = 0.0
        // Cross-entropy -sum t log p, mean over points; its gradient on the scores is p - t.
        let cellScale = cellWeight / Float(n * points)
        for row in 0..<n {
            let out = output.data + row * outputCount, grad = gradient.data + row * outputCount
            for k in 0..<points {
                let gx = result.gradient.data[row * 2 * points + 2 * k], gy = result.gradient.data[row * 2 * points + 2 * k + 1]
                let x = coordinates.data[row * 2 * points + 2 * k], y = coordinates.data[row * 2 * points + 2 * k + 1]
                weights(out, point: k, into: &p)
                for c in 0..<cells {
                    let v = vote(out, point: k, cell: c)
                    // d point / d offset = weight; d point / d score = weight * (vote - point); the
                    // cross-entropy adds its p here and its -t below.
                    grad[k * cells + c] = p[c] * (gx * (v.x - x) + gy * (v.y - y) + cellScale)
                    grad[(points + k) * cells + c] = p[c] * gx
                    grad[(2 * points + k) * cells + c] = p[c] * gy
                }
                guard cellWeight > 0 else { continue }
                for (c, t) in cellTarget(x: target.data[row * 2 * points + 2 * k], y: target.data[row * 2 * points + 2 * k + 1]) {
                    grad[k * cells + c] -= cellScale * t
                    crossEntropy -= Double(t) * log(Double(max(p[c], .leastNormalMagnitude)))
                }
            }
        }
        return (result.value + cellWeight * Float(crossEntropy / Double(n * points)), gradient)
    }
}
