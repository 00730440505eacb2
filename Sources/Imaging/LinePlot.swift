import Foundation

/// A line chart rendered to an `Image`: loss curves, cumulative error distributions.
public struct LinePlot {
    /// One named curve.
    public struct Series {
        /// Legend text.
        public var name: String
        /// Line colour.
        public var color: Color
        /// The points, in drawing order.
        public var points: [(x: Double, y: Double)]

        /// A curve named `name`.
        public init(name: String, color: Color, points: [(x: Double, y: Double)]) {
            self.name = name
            self.color = color
            self.points = points
        }
    }

    /// Heading above the chart.
    public var title: String
    /// Label under the x axis.
    public var xLabel: String
    /// Label beside the y axis.
    public var yLabel: String
    /// The curves.
    public var series: [Series]
    /// Plot y on a log10 scale (values must be positive).
    public var logY = false
    /// Fixed y range instead of the data's.
    public var yRange: ClosedRange<Double>?

    /// A chart with the given labels and curves.
    public init(title: String, xLabel: String, yLabel: String, series: [Series], logY: Bool = false,
                yRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.logY = logY
        self.yRange = yRange
    }

    /// Draws the chart into a `width` x `height` RGB image.
    public func render(width: Int = 800, height: Int = 500) -> Image {
        var image = Image(width: width, height: height, channels: 3, fill: 255)
        let left = 80, right = width - 20, top = 40, bottom = height - 60
        let ink = Color(r: 30, g: 30, b: 30), grid = Color(r: 225, g: 225, b: 225)
        let all = series.flatMap(\.points).filter(plottable)
        guard !all.isEmpty else { return image }
        let transform: (Double) -> Double = logY ? { log10($0) } : { $0 }
        let xs = all.map(\.x), ys = all.map { transform($0.y) }
        let (xMin, xMax) = LinePlot.span(xs.min()!, xs.max()!)
        let (yMin, yMax) = LinePlot.span(yRange.map { transform($0.lowerBound) } ?? ys.min()!,
                                         yRange.map { transform($0.upperBound) } ?? ys.max()!)
        let px = { (x: Double) in Double(left) + (x - xMin) / (xMax - xMin) * Double(right - left) }
        let py = { (y: Double) in Double(bottom) - (transform(y) - yMin) / (yMax - yMin) * Double(bottom - top) }

        for tick in LinePlot.ticks(from: yMin, to: yMax) {
            let value = logY ? pow(10, tick) : tick
            let y = Double(bottom) - (tick - yMin) / (yMax - yMin) * Double(bottom - top)
            image.drawLine(from: Point(x: Double(left), y: y), to: Point(x: Double(right), y: y), color: grid)
            let label = LinePlot.format(value)
            BitmapFont.draw(label, into: &image, x: left - 8 - BitmapFont.width(of: label), y: Int(y) - 3, color: ink)
        }
        for tick in LinePlot.ticks(from: xMin, to: xMax) {
            let x = px(tick)
            image.drawLine(from: Point(x: x, y: Double(top)), to: Point(x: x, y: Double(bottom)), color: grid)
            let label = LinePlot.format(tick)
            BitmapFont.draw(label, into: &image, x: Int(x) - BitmapFont.width(of: label) / 2, y: bottom + 8, color: ink)
        }
        image.drawBox(Box(x: Double(left), y: Double(top), width: Double(right - left), height: Double(bottom - top)),
                      color: ink, thickness: 1)
        for curve in series {
            let points = curve.points.filter(plottable)
            for (a, b) in zip(points, points.dropFirst()) {
                image.drawLine(from: Point(x: px(a.x), y: py(a.y)), to: Point(x: px(b.x), y: py(b.y)),
                               color: curve.color, thickness: 2)
            }
            if points.count == 1 { image.drawDot(Point(x: px(points[0].x), y: py(points[0].y)), radius: 3, color: curve.color) }
        }
        BitmapFont.draw(title, into: &image, x: (width - BitmapFont.width(of: title, scale: 2)) / 2, y: 10,
                        color: ink, scale: 2)
        BitmapFont.draw(xLabel, into: &image, x: (left + right - BitmapFont.width(of: xLabel)) / 2, y: bottom + 28, color: ink)
        BitmapFont.draw(yLabel, into: &image, x: 8, y: top - 14, color: ink)
        for (index, curve) in series.enumerated() {
            let y = top + 12 + index * 14
            image.drawLine(from: Point(x: Double(right - 150), y: Double(y + 3)), to: Point(x: Double(right - 130), y: Double(y + 3)),
                           color: curve.color, thickness: 3)
            BitmapFont.draw(curve.name, into: &image, x: right - 124, y: y, color: ink)
        }
        return image
    }

    /// About five round tick values between `low` and `high`.
    static func ticks(from low: Double, to high: Double) -> [Double] {
        let span = high - low
        // A step below the values' resolution would never move from `low`.
        guard span > 0, span.isFinite, span > max(abs(low), abs(high)) * 1e-9 else { return [low] }
        let rough = span / 5, magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        var tick = ceil(low / step) * step, result = [Double]()
        while tick <= high + step * 1e-9 {
            result.append(tick)
            tick += step
        }
        return result
    }

    /// The axis range from `low` to `high`, widened around a single value: by 0.5, or by 5% of the value
    /// where 0.5 is below its resolution (a diverged run's 4e16 + 0.5 is still 4e16).
    static func span(_ low: Double, _ high: Double) -> (Double, Double) {
        let magnitude = max(abs(low), abs(high))
        guard !(high - low > magnitude * 1e-9) else { return (low, high) }
        let pad = max(0.5, magnitude * 0.05)
        return (low - pad, high + pad)
    }

    /// Whether a point can be drawn: finite, within 1e300 (so that the range's margins stay finite),
    /// positive on a log scale.
    func plottable(_ point: (x: Double, y: Double)) -> Bool {
        point.x.isFinite && point.y.isFinite && abs(point.x) < 1e300 && abs(point.y) < 1e300 && (!logY || point.y > 0)
    }

    /// A short label for `value`.
    static func format(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude == 0 { return "0" }
        if magnitude >= 1e4 || magnitude < 1e-3 { return String(format: "%.0e", value) }
        if magnitude >= 10 { return String(format: "%.0f", value) }
        if magnitude >= 1 { return String(format: "%.1f", value) }
        return String(format: "%.3g", value)
    }
}
