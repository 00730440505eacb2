import FaceAnalysis
import FaceData
import Foundation
import Imaging
import Plumbing

/// What `morph detect` writes besides the JSON.
public struct DetectOptions: Sendable {
    /// Also write 300-W `.pts` files (one per face: `NAME.pts`, then `NAME.face2.pts`, ...).
    public var pts = false
    /// Write an overlay picture per photo and the contact sheet.
    public var overlays = true
    /// Fail on the first unreadable photo instead of listing it.
    public var strict = false
    /// Group the faces into people by identity (a `person` number on each face, and `people.jpg`).
    public var people = false

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
    /// The sheet of faces with one row per person, if one was written.
    public var peopleSheet: String?
    /// People found in two or more photos, with `people`.
    public var recurringPeople = 0
    /// Median milliseconds per photo: decode, find, keypoints.
    public var medianTimings: (decode: Double, find: Double, keypoints: Double)

    /// The lines `morph detect` ends with: counts, timings, the sheets written, the photos without a
    /// face and those that failed; `folder` is the output folder.
    public func summary(folder: String) -> [String] {
        let faces = analysed.reduce(0) { $0 + $1.faces }
        var lines = ["\(analysed.count) photos analysed, \(faces) faces; results in \(folder)/",
                     String(format: "median per photo: decode %.0f ms, find %.0f ms, keypoints %.0f ms",
                            medianTimings.decode, medianTimings.find, medianTimings.keypoints)]
        if let contactSheet { lines.append("contact sheet: \(contactSheet)") }
        if let peopleSheet { lines.append("people: \(recurringPeople) in two or more photos; one row per person in \(peopleSheet)") }
        lines += analysed.filter { $0.faces == 0 }.map { "no face: \($0.path)" }
        if !failed.isEmpty { lines += ["\(failed.count) photo(s) failed:"] + failed.map { "  \($0)" } }
        return lines
    }
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
        if options.people { try protected.check(folder.appendingPathComponent(DetectJob.peopleSheetName), owner: nil) }
        for path in photos {
            for output in outputs(name: names[path]!, faces: 1) { try protected.check(output, owner: path) }
        }
        let overlays = options.overlays
        let people = options.people
        let analyzers = try PhotoBatch.analyzers(forPhotos: photos.count, makeAnalyzer: makeAnalyzer)
        let threshold = people ? analyzers[0].identityThreshold : nil
        if people && threshold == nil { throw PipelineError.noIdentityModel(option: "--people") }
        let results = PhotoBatch.analyze(photos, analyzers: analyzers, progress: progress) { analyzer, path in
            let analysis = try analyzer.analyze(path, mode: overlays || people ? .rgb : .grey)
            for output in outputs(name: names[path]!, faces: analysis.faces.count) { try protected.check(output, owner: path) }
            if overlays {
                try ImageFile.write(try DetectJob.overlay(analysis, maxSide: 1280),
                                    to: folder.appendingPathComponent("\(names[path]!).overlay.jpg").path, quality: 88)
            }
            let record = DetectionRecord(source: analysis.path, width: analysis.width, height: analysis.height,
                                         orientation: analysis.orientation, faces: analysis.faces.map {
                                             FaceRecord(box: $0.box, score: $0.score, confidence: $0.confidence, points: $0.points)
                                         })
            return (record: record, embeddings: analysis.faces.map(\.embedding), timings: analysis.timings,
                    thumbnail: overlays ? try DetectJob.overlay(analysis, maxSide: 240) : nil,
                    faceThumbnails: people ? analysis.faces.map { DetectJob.faceThumbnail(analysis, $0) } : [])
        }
        var report = DetectReport(analysed: [], failed: [], contactSheet: nil, medianTimings: (0, 0, 0))
        var thumbnails = [Image]()
        var analysed = [(path: String, record: DetectionRecord, embeddings: [[Float]?], faces: [Image])]()
        for (path, result) in zip(photos, results) {
            switch result {
            case .failure(let problem):
                if options.strict { throw problem }
                report.failed.append(problem)
            case .success(let photo):
                analysed.append((path, photo.record, photo.embeddings, photo.faceThumbnails))
                report.analysed.append((path, photo.record.faces.count))
                if let thumbnail = photo.thumbnail { thumbnails.append(thumbnail) }
            }
        }
        if let threshold {
            let groups = PersonGrouping(threshold: threshold + PersonGrouping.identityMargin).people(analysed.map(\.embeddings))
            for (number, group) in groups.enumerated() {
                for member in group { analysed[member.photo].record.faces[member.face].person = number + 1 }
            }
            report.recurringPeople = groups.filter { Set($0.map(\.photo)).count >= 2 }.count
            let rows = groups.map { $0.map { analysed[$0.photo].faces[$0.face] } }
            if !rows.isEmpty {
                let path = folder.appendingPathComponent(DetectJob.peopleSheetName).path
                try ImageFile.write(DetectJob.peopleSheet(rows), to: path, quality: 88)
                report.peopleSheet = path
            }
        }
        for photo in analysed { try write(photo.record, name: names[photo.path]!) }
        if !thumbnails.isEmpty {
            let path = folder.appendingPathComponent(DetectJob.contactSheetName).path
            try ImageFile.write(ContactSheet.make(thumbnails, columns: 6, cell: 240), to: path, quality: 88)
            report.contactSheet = path
        }
        let timings = results.compactMap { try? $0.get().timings }
        report.medianTimings = (timings.map(\.decode).median, timings.map(\.find).median, timings.map(\.keypoints).median)
        return report
    }

    /// The contact sheet's file name in the output folder.
    static let contactSheetName = "contact-sheet.jpg"
    /// The people sheet's file name in the output folder.
    static let peopleSheetName = "people.jpg"

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

    /// The JSON and the optional `.pts` files of one analysed photo.
    func write(_ record: DetectionRecord, name: String) throws {
        try record.write(to: folder.appendingPathComponent("\(name).json"))
        if options.pts {
            for (index, face) in record.faces.enumerated() {
                try PTSFile.write(face.points, to: folder.appendingPathComponent(DetectJob.ptsName(name)(index)))
            }
        }
    }

    /// Side of the face pictures in the people sheet.
    static let faceThumbnailSide = 96

    /// The square around `face` (its keypoints' box with a margin, cut at the photo's border) from the
    /// analysed photo, scaled so its longer side is `faceThumbnailSide`.
    static func faceThumbnail(_ analysis: PhotoAnalysis, _ face: AnalyzedFace) -> Image {
        let box = face.keypointBox, scale = Double(analysis.scale), image = analysis.image, side = faceThumbnailSide
        let half = 0.7 * max(box.width, box.height) / scale, centre = Point(x: box.center.x / scale, y: box.center.y / scale)
        let left = max(0, Int(centre.x - half)), top = max(0, Int(centre.y - half))
        let right = min(image.width, Int(centre.x + half) + 1), bottom = min(image.height, Int(centre.y + half) + 1)
        guard right - left >= 2, bottom - top >= 2 else { return Image(width: side, height: side, channels: 3, fill: 32) }
        let crop = image.cropped(x: left, y: top, width: right - left, height: bottom - top)
        let factor = Double(side) / Double(max(crop.width, crop.height))
        return crop.resized(width: max(1, Int((Double(crop.width) * factor).rounded())),
                            height: max(1, Int((Double(crop.height) * factor).rounded())))
    }

    /// One row of face pictures per person (at most 12 each), the person's number on the first.
    static func peopleSheet(_ rows: [[Image]]) -> Image {
        let columns = min(12, rows.map(\.count).max() ?? 1), side = faceThumbnailSide
        let blank = Image(width: side, height: side, channels: 3, fill: 32)
        let cells = rows.enumerated().flatMap { number, faces -> [Image] in
            var row = Array(faces.prefix(columns)).map { $0.converted(to: .rgb) }
            BitmapFont.draw("\(number + 1)", into: &row[0], x: 3, y: 3, color: .yellow, scale: 2)
            return row + Array(repeating: blank, count: columns - row.count)
        }
        return ContactSheet.make(cells, columns: columns, cell: side, padding: 4)
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
