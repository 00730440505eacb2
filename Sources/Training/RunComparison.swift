import Foundation
import Imaging

/// Curves of several training runs on one chart, read back from their `metrics.csv` files.
public enum RunComparison {
    /// The validation-metric curves (in percent) of the run folders `runs`, labelled by folder name.
    public static func plot(_ runs: [URL], title: String) throws -> Image {
        let colors: [Color] = [.blue, .red, .green, .yellow, Color(r: 150, g: 60, b: 200)]
        let series = try runs.enumerated().map { index, folder -> LinePlot.Series in
            let path = folder.appendingPathComponent("metrics.csv").path
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw TrainingError.badCheckpoint(file: path, reason: "no metrics.csv in this run folder")
            }
            let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
            let points = rows.compactMap { row -> (x: Double, y: Double)? in
                guard row.count > 3, let epoch = Double(row[0]), let metric = Double(row[3]) else { return nil }
                return (epoch, 100 * metric)
            }
            return LinePlot.Series(name: folder.lastPathComponent, color: colors[index % colors.count], points: points)
        }
        return LinePlot(title: title, xLabel: "epoch", yLabel: "validation %", series: series).render()
    }
}
