import DetectorTraining
import FaceAnalysis
import FaceData
import Foundation
import Imaging
import Plumbing

/// How many of the annotated faces of whole photos (dlib XML, every face boxed) `morph detect`
/// reports, by face size, and how many reported faces match no annotated one.
public struct WholePhotoRecallReport: Sendable {
    /// Annotated faces of one size range and how many of them were found.
    public struct SizeBin: Sendable {
        /// The range of the box's longer side in pixels, e.g. "48-96 px".
        public var label: String
        /// Annotated faces in the range, and those found.
        public var annotated: Int, found: Int
    }

    /// Photos, annotated faces, faces found.
    public var photos: Int, annotated: Int, found: Int
    /// Faces reported in all, and those that hit no annotated face (false finds, or faces nobody annotated).
    public var reported: Int, unmatched: Int
    /// Recall by face size.
    public var bins: [SizeBin]
    /// The faces not found: photo and annotated box.
    public var missed: [(path: String, box: Box)]
    /// Milliseconds per photo (decode, find, keypoints), median.
    public var medianMilliseconds: Double

    /// The lines `morph eval faces` prints about the photos of `file` (the `split` side of them).
    public func lines(file: String, split: String) -> [String] {
        let percent = { (found: Int, of: Int) in String(format: "%.1f%% of %d", 100 * Double(found) / Double(max(of, 1)), of) }
        let perPhoto = { (count: Int) in Double(count) / Double(max(photos, 1)) }
        return ["whole photos (\(file), \(split)): \(photos) photos, found \(percent(found, annotated)) annotated faces; "
                + String(format: "%.2f reported faces per photo, %.2f matching no annotated face; %.0f ms per photo (median)",
                         perPhoto(reported), perPhoto(unmatched), medianMilliseconds)]
            + bins.map { "  faces \($0.label): found \(percent($0.found, $0.annotated))" }
    }
}

/// Recall of the whole pipeline on whole, multi-face photos.
public enum WholePhotoRecall {
    /// Upper ends of the size ranges (the box's longer side), in pixels.
    public static let sizeLimits: [Double] = [48, 96, 192, .infinity]

    /// Runs `analyzer` on every photo of `dataset` whose name falls on `split` (all photos for nil:
    /// the split is 300-W's, by photo name) and matches the reported faces (by their keypoints' box)
    /// to the annotated boxes: each annotated face, largest first, takes the first unused reported
    /// face that hits it (centre inside, size 0.5-2x).
    public static func evaluate(_ dataset: DlibDataset, split: DatasetSplit?, analyzer: FaceAnalyzer,
                                progress: ProgressReporter?) throws -> WholePhotoRecallReport {
        let entries = dataset.images.filter { split == nil || DatasetSplit.hashed(fileName: $0.imageURL.lastPathComponent) == split }
        var report = WholePhotoRecallReport(photos: entries.count, annotated: 0, found: 0, reported: 0, unmatched: 0,
                                            bins: binLabels.map { .init(label: $0, annotated: 0, found: 0) }, missed: [],
                                            medianMilliseconds: 0)
        var times = [Double]()
        let started = Date()
        for (done, entry) in entries.enumerated() {
            let analysis = try analyzer.analyze(entry.imageURL.path, mode: .grey)
            times.append(analysis.timings.decode + analysis.timings.find + analysis.timings.keypoints)
            let truth = entry.faces.map(\.box)
            let matches = match(reported: analysis.faces.map(\.keypointBox), truth: truth)
            report.annotated += truth.count
            report.reported += analysis.faces.count
            report.unmatched += analysis.faces.count - matches.compactMap { $0 }.count
            for (box, match) in zip(truth, matches) {
                let bin = sizeLimits.firstIndex { max(box.width, box.height) < $0 }!
                report.bins[bin].annotated += 1
                if match != nil {
                    report.found += 1
                    report.bins[bin].found += 1
                } else {
                    report.missed.append((entry.imageURL.path, box))
                }
            }
            progress?.update("whole photos", done: done + 1, total: entries.count,
                             detail: "\(report.found) of \(report.annotated) faces found", stepStart: started)
        }
        report.medianMilliseconds = times.median
        return report
    }

    /// "< 48 px", "48-96 px", ... for `sizeLimits`.
    static var binLabels: [String] {
        sizeLimits.enumerated().map { index, limit in
            index == 0 ? "< \(Int(limit)) px" : limit.isInfinite ? "> \(Int(sizeLimits[index - 1])) px"
                : "\(Int(sizeLimits[index - 1]))-\(Int(limit)) px"
        }
    }

    /// For each `truth` box (in its own order), the index of the reported box it takes, or nil. Larger
    /// annotated faces choose first; a reported box serves one annotated face.
    static func match(reported: [Box], truth: [Box]) -> [Int?] {
        var used = Set<Int>(), result = [Int?](repeating: nil, count: truth.count)
        for t in truth.indices.sorted(by: { truth[$0].area > truth[$1].area }) {
            if let r = reported.indices.first(where: { !used.contains($0) && FaceFinderEvaluation.hits(reported[$0], truth: truth[t]) }) {
                used.insert(r)
                result[t] = r
            }
        }
        return result
    }

    /// Writes the contact sheet of the missed faces (`missedSheet`) as a JPEG at `path`, creating its
    /// folder; false when no face was missed (nothing written, and a sheet an earlier run left at
    /// `path` is removed, so that it is not taken for this run's).
    public static func writeMissedSheet(_ missed: [(path: String, box: Box)], to path: String) throws -> Bool {
        guard let sheet = try missedSheet(missed) else {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            return false
        }
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try ImageFile.write(sheet, to: path, quality: 88)
        return true
    }

    /// A contact sheet of the missed faces: each at twice its box's size around it, the box in red.
    public static func missedSheet(_ missed: [(path: String, box: Box)], cell: Int = 160) throws -> Image? {
        guard !missed.isEmpty else { return nil }
        var photos = [String: Image]()
        let tiles = try missed.map { path, box -> Image in
            if photos[path] == nil { photos[path] = try ImageFile.read(path, mode: .rgb).image }
            let photo = photos[path]!, side = 2 * max(box.width, box.height)
            let left = max(0, Int(box.center.x - side / 2)), top = max(0, Int(box.center.y - side / 2))
            let width = min(photo.width, Int(box.center.x + side / 2)) - left, height = min(photo.height, Int(box.center.y + side / 2)) - top
            var tile = photo.cropped(x: left, y: top, width: max(1, width), height: max(1, height))
            tile.drawBox(Box(x: box.x - Double(left), y: box.y - Double(top), width: box.width, height: box.height), color: .red,
                         thickness: max(1, side / 120))
            return tile
        }
        return ContactSheet.make(tiles, columns: 8, cell: cell)
    }
}
