import FaceData
import Foundation
import Imaging
import Landmarks
import Plumbing

/// What `morph detect` writes besides the JSON.
public struct DetectOptions: Sendable {
    /// Also write 300-W `.pts` files (one per face: `NAME.pts`, then `NAME.face2.pts`, ...).
    public var pts = false
    /// Write an overlay picture per photo and the contact sheet.
    public var overlays = true
    /// Fail on the first unreadable photo instead of listing it.
    public var strict = false

    /// Options with every field at its default.
    public init() {}
}

/// What a detect run produced.
public struct DetectReport: Sendable {
    /// Photos analysed, with the number of faces in each.
    public var analysed: [(path: String, faces: Int)]
    /// Photos that could not be read.
    public var failed: [PhotoProblem]
    /// The contact sheet, if one was written.
    public var contactSheet: String?
    /// Median milliseconds per photo: decode, find, keypoints.
    public var medianTimings: (decode: Double, find: Double, keypoints: Double)
}

/// `morph detect`: keypoints for every photo, as JSON (and `.pts`), overlays and a contact sheet.
public struct DetectJob {
    /// The photos.
    public let photos: [String]
    /// The output folder.
    public let folder: URL
    /// What to write.
    public let options: DetectOptions
    /// Makes one analyser per worker thread.
    public let makeAnalyzer: () throws -> FaceAnalyzer

    /// A job over `photos` writing into `folder`.
    public init(photos: [String], folder: URL, options: DetectOptions, makeAnalyzer: @escaping () throws -> FaceAnalyzer) {
        self.photos = photos
        self.folder = folder
        self.options = options
        self.makeAnalyzer = makeAnalyzer
    }

    /// Runs the job; a photo that fails is listed in the report (thrown with `strict`).
    ///
    /// Before any photo is read, the job refuses to run when an output would replace an input photo
    /// or take another photo's sidecar name (`-o` the photos' own folder), and removes temporary
    /// files left in the folder by an earlier run that was killed.
    public func run(progress: ProgressReporter?) throws -> DetectReport {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw PipelineError.cannotWrite(path: folder.path, reason: "not a folder")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw PipelineError.cannotWrite(path: folder.path, reason: FileError.reason(for: error, path: folder.path))
        }
        TemporaryFile.removeStale(inFolder: folder.path)
        let names = DetectJob.outputNames(for: photos)
        let protected = ProtectedPaths(photos: photos)
        if options.overlays { try protected.check(folder.appendingPathComponent(DetectJob.contactSheetName), owner: nil) }
        for path in photos {
            for output in outputs(name: names[path]!, faces: 1) { try protected.check(output, owner: path) }
        }
        let overlays = options.overlays
        let results = try PhotoBatch.analyze(photos, makeAnalyzer: makeAnalyzer, progress: progress) { analyzer, path in
            let analysis = try analyzer.analyze(path, mode: overlays ? .rgb : .grey)
            for output in outputs(name: names[path]!, faces: analysis.faces.count) { try protected.check(output, owner: path) }
            try write(analysis, name: names[path]!)
            return (path: path, faces: analysis.faces.count, timings: analysis.timings,
                    thumbnail: overlays ? try DetectJob.overlay(analysis, maxSide: 240) : nil)
        }
        var report = DetectReport(analysed: [], failed: [], contactSheet: nil, medianTimings: (0, 0, 0))
        var thumbnails = [Image]()
        for result in results {
            switch result {
            case .failure(let problem):
                if options.strict { throw problem }
                report.failed.append(problem)
            case .success(let photo):
                report.analysed.append((photo.path, photo.faces))
                if let thumbnail = photo.thumbnail { thumbnails.append(thumbnail) }
            }
        }
        if !thumbnails.isEmpty {
            let path = folder.appendingPathComponent(DetectJob.contactSheetName).path
            try ImageFile.write(ContactSheet.make(thumbnails, columns: 6, cell: 240), to: path, quality: 88)
            report.contactSheet = path
        }
        let timings = results.compactMap { try? $0.get().timings }
        func median(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.sorted()[values.count / 2] }
        report.medianTimings = (median(timings.map(\.decode)), median(timings.map(\.find)), median(timings.map(\.keypoints)))
        return report
    }

    /// The contact sheet's file name in the output folder.
    static let contactSheetName = "contact-sheet.jpg"

    /// The files written for a photo whose outputs are called `name`, with `faces` faces.
    func outputs(name: String, faces: Int) -> [URL] {
        var names = ["\(name).json"]
        if options.overlays { names.append("\(name).overlay.jpg") }
        if options.pts { names += (0..<faces).map(DetectJob.ptsName(name)) }
        return names.map(folder.appendingPathComponent)
    }

    /// The `.pts` name of face `index` (0-based) of the photo whose outputs are called `name`:
    /// `NAME.pts`, then `NAME.face2.pts`, ... (never `NAME_2.pts`, another photo's sidecar name).
    static func ptsName(_ name: String) -> (Int) -> String {
        { index in index == 0 ? "\(name).pts" : "\(name).face\(index + 1).pts" }
    }

    /// JSON, optional `.pts` and the overlay of one analysed photo.
    func write(_ analysis: PhotoAnalysis, name: String) throws {
        let faces = analysis.faces.map { FaceRecord(box: $0.box, score: $0.score, confidence: $0.confidence, points: $0.points) }
        let record = DetectionRecord(source: analysis.path, width: analysis.width, height: analysis.height,
                                     orientation: analysis.orientation, faces: faces)
        try record.write(to: folder.appendingPathComponent("\(name).json"))
        if options.pts {
            for (index, face) in analysis.faces.enumerated() {
                try PTSFile.write(face.points, to: folder.appendingPathComponent(DetectJob.ptsName(name)(index)))
            }
        }
        if options.overlays {
            try ImageFile.write(try DetectJob.overlay(analysis, maxSide: 1280),
                                to: folder.appendingPathComponent("\(name).overlay.jpg").path, quality: 88)
        }
    }

    /// The photo (at most `maxSide` pixels) with each face's box and keypoints drawn.
    static func overlay(_ analysis: PhotoAnalysis, maxSide: Int) throws -> Image {
        var image = analysis.image.fitting(maxSide: maxSide)
        let factor = Double(image.width) / Double(analysis.width)
        let radius = max(1.5, Double(max(image.width, image.height)) / 400)
        for face in analysis.faces {
            let box = Box(x: face.box.x * factor, y: face.box.y * factor, width: face.box.width * factor,
                          height: face.box.height * factor)
            image.drawBox(box, color: face.origin == .detected ? .yellow : .blue, thickness: max(1, radius / 1.5))
            for point in face.points {
                image.drawDot(Point(x: (point.x + 0.5) * factor - 0.5, y: (point.y + 0.5) * factor - 0.5),
                              radius: radius, color: .green)
            }
        }
        if analysis.faces.isEmpty { BitmapFont.draw("NO FACE", into: &image, x: 6, y: 6, color: .red, scale: 3) }
        return image
    }

    /// Output base names: the photo's name without extension, made unique with `_2`, `_3`, ... .
    static func outputNames(for photos: [String]) -> [String: String] {
        var used = Set<String>(), names = [String: String]()
        for path in photos where names[path] == nil {
            let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            var name = stem, counter = 1
            while used.contains(name) {
                counter += 1
                name = "\(stem)_\(counter)"
            }
            used.insert(name)
            names[path] = name
        }
        return names
    }
}
