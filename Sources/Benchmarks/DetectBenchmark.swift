import FaceAnalysis
import Foundation
import Imaging
import Pipeline
import Plumbing

/// `morph bench detect`: decode, face finding and keypoints per photo, one photo at a time (both cores
/// inside the networks), then a batch on all cores as `morph detect` runs it (one photo per core).
public enum DetectBenchmark {
    /// The lines for `photos` analysed by the models in `models` over `passes` passes (the first a
    /// warm-up, not counted): medians per photo with their breakdown, then the batch's wall time per
    /// photo. With `megapixels`, copies enlarged to about that size are timed (then removed);
    /// `mirroring` says which keypoint pass also sees the face mirrored.
    public static func lines(photos: [String], models: URL, passes: Int, megapixels: Double?,
                             mirroring: KeypointMirroring = .settlingPass) throws -> [String] {
        let makeAnalyzer = {
            let analyzer = try ModelFiles.analyzer(folder: models, manualBoxes: nil)
            analyzer.mirroring = mirroring
            return analyzer
        }
        let analyzer = try makeAnalyzer()
        let photos = try megapixels.map { try enlarged(photos, megapixels: [$0]) } ?? photos
        defer {
            if megapixels != nil { try? FileManager.default.removeItem(atPath: (photos[0] as NSString).deletingLastPathComponent) }
        }
        var totals = [Double](), decode = [Double](), find = [Double](), keypoints = [Double]()
        for pass in 0..<passes {
            for photo in photos {
                let started = Date()
                let analysis = try analyzer.analyze(photo, mode: .grey)
                guard pass > 0 else { continue }
                totals.append(1000 * Date().timeIntervalSince(started))
                decode.append(analysis.timings.decode)
                find.append(analysis.timings.find)
                keypoints.append(analysis.timings.keypoints)
            }
        }
        let sizes = try photos.map { try ImageFile.size(of: $0) }.map { Double($0.width * $0.height) / 1e6 }
        let single = String(format: "detect (%d photos of %.1f-%.1f MP): %.1f ms per photo (median of %d; decode %.1f, find %.1f, keypoints %.1f ms; mean %.1f ms)",
                            photos.count, sizes.min()!, sizes.max()!, totals.median, totals.count, decode.median,
                            find.median, keypoints.median, totals.reduce(0, +) / Double(totals.count))
        let batch = Array(repeating: photos, count: max(1, passes - 1)).flatMap { $0 }
        let started = Date()
        let results = try PhotoBatch.analyze(batch, makeAnalyzer: makeAnalyzer,
                                             progress: nil) { analyzer, photo in try analyzer.analyze(photo, mode: .grey).faces.count }
        let failures = results.filter { if case .failure = $0 { true } else { false } }.count
        let all = String(format: "batch of %d on %d cores: %.1f ms per photo (wall time / photos)%@", batch.count,
                         ProcessInfo.processInfo.activeProcessorCount, 1000 * Date().timeIntervalSince(started) / Double(batch.count),
                         failures > 0 ? ", \(failures) failed" : "")
        return [single, all]
    }

    /// Copies of `photos` enlarged to about `megapixels` (one value for all, or one per photo, cycled),
    /// written as JPEG into a temporary folder of their own.
    public static func enlarged(_ photos: [String], megapixels: [Double]) throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("morph-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try photos.enumerated().map { index, path in
            let image = try ImageFile.read(path).image
            let factor = (megapixels[index % megapixels.count] * 1e6 / Double(image.pixelCount)).squareRoot()
            let big = image.resized(width: Int(Double(image.width) * factor), height: Int(Double(image.height) * factor))
            let target = folder.appendingPathComponent("photo\(index).jpg").path
            try ImageFile.write(big, to: target, quality: 90)
            return target
        }
    }
}
