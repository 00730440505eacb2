import FaceAnalysis
import FaceData
import Foundation
import Imaging
import NeuralNet
import Pipeline
import Plumbing

/// Photo collections made from LFW people to measure `--face auto`: each scene shows one person's
/// photo among 2-4 photos of other people who look alike (the nearest by embedding), at similar sizes.
public enum SyntheticCollections {
    /// How the pick did on the scenes at one same-person threshold.
    public struct Report: Sendable {
        /// The cosine at which two faces were taken for one person.
        public var threshold: Double
        /// Collections and scenes (photos) in all.
        public var collections: Int, scenes: Int
        /// Scenes where the followed face is the person's, another person's, or none (skipped).
        public var followed: Int, wrong: Int, skipped: Int
        /// Scenes where the largest face is the person's (the rule without identity).
        public var largestRight: Int

        /// The line `morph eval identity` prints, marking the model's own threshold `modelThreshold`.
        public func line(modelThreshold: Double) -> String {
            let n = Double(max(scenes, 1))
            return String(format: "  %d people, %d scenes, threshold %.3f%@: --face auto followed the person in %.1f%%, another person in %.1f%%, skipped %.1f%%; the largest face is the person's in %.1f%%",
                          collections, scenes, threshold, abs(threshold - modelThreshold) < 1e-9 ? " (the model's)" : "",
                          100 * Double(followed) / n, 100 * Double(wrong) / n, 100 * Double(skipped) / n,
                          100 * Double(largestRight) / n)
        }

        /// The heading of the lines of collections whose strangers are `lookalikes` or drawn from everyone.
        public static func heading(lookalikes: Bool) -> String {
            lookalikes ? "collections, strangers among the 12 people most alike (by this model):" : "collections, strangers drawn from everyone:"
        }
    }

    /// Side of a tile before its size jitter.
    static let tile = 128

    /// Builds collections of `photosPerPerson` scenes for each person of the pairs file `pairs` (people
    /// outside training) with at least that many photos (at most `maxPeople`, in name order), analyses
    /// every scene with `analyzer` (which must have an identity model) and picks the person with
    /// `--face auto`'s rule, at the model's threshold plus each of `offsets`. The strangers are drawn
    /// from the 12 people whose first photo the model finds most alike (`lookalikes`), or from everyone.
    /// Draws come from `seed`.
    public static func evaluate(root: URL, pairs: String, analyzer: FaceAnalyzer, photosPerPerson: Int = 8, maxPeople: Int = 20,
                                lookalikes: Bool = true, offsets: [Double] = [0], seed: UInt64 = 7,
                                progress: ProgressReporter?) throws -> [Report] {
        guard let threshold = analyzer.identityThreshold else { throw PipelineError.noIdentityModel(option: "eval identity") }
        let names = try LFWProtocol.names(inPairs: root.appendingPathComponent(pairs))
        let counts = try names.sorted().map { ($0, try LFWProtocol.photoCount(of: $0, root: root)) }
        let people = counts.filter { $0.1 >= photosPerPerson }.prefix(maxPeople).map(\.0)
        let others = counts.map(\.0), photoCount = Dictionary(uniqueKeysWithValues: counts)
        let read = { (name: String, number: Int) in
            try ImageFile.read(LFWProtocol.Photo(name: name, number: number).url(root: root).path, mode: .grey).image
        }
        // Each other person's look: the embedding of their first photo, alone in a scene of its own.
        let looks = others.map { name in (try? read(name, 1)).flatMap { analyzer.analyze(grey: $0, name: name).faces.first?.embedding } }
        var reports = offsets.map { Report(threshold: threshold + $0, collections: 0, scenes: 0, followed: 0, wrong: 0, skipped: 0,
                                           largestRight: 0) }
        var rng = SplitMix64(seed: seed)
        let started = Date()
        for (done, person) in people.enumerated() {
            progress?.update("collections", done: done + 1, total: people.count, detail: "", stepStart: started)
            guard let own = looks[others.firstIndex(of: person)!] else { continue }
            let strangers = others.indices.filter { others[$0] != person && looks[$0] != nil }
            let alike = lookalikes
                ? strangers.sorted { Embedding.cosine(own, looks[$0]!) > Embedding.cosine(own, looks[$1]!) }.prefix(12).map { others[$0] }
                : strangers.map { others[$0] }
            var photos = [PhotoFaces](), truth = [Box](), largest = [Bool]()
            for number in 1...photosPerPerson {
                let strangers = (0..<(2 + Int(rng.next() % 3))).map { _ in alike[Int(rng.next() % UInt64(alike.count))] }
                let scene = try compose(person: read(person, number), strangers: strangers.map { try read($0, 1 + Int(rng.next() % UInt64(min(2, photoCount[$0]!)))) },
                                        rng: &rng)
                let analysis = analyzer.analyze(grey: scene.image, name: "\(person) scene \(number)")
                let faces = PhotoFaces(analysis)
                photos.append(faces)
                truth.append(scene.person)
                largest.append(FaceChoice.largest.pick(from: faces).map { scene.person.contains($0.keypointBox.center) } ?? false)
            }
            for index in reports.indices {
                let picks = PersonPicker(choice: .auto, tracker: PersonTracker(threshold: reports[index].threshold)).pick(photos).faces
                for (pick, box) in zip(picks, truth) {
                    switch pick {
                    case .success(let face):
                        if box.contains(face.face.keypointBox.center) { reports[index].followed += 1 } else { reports[index].wrong += 1 }
                    case .failure: reports[index].skipped += 1
                    }
                }
                reports[index].collections += 1
                reports[index].scenes += photos.count
                reports[index].largestRight += largest.filter { $0 }.count
            }
        }
        return reports
    }

    /// A grey scene of tiles in a row with gaps, each photo scaled by 0.85-1.15, the person's photo at a
    /// random place; also the person's tile.
    static func compose(person: Image, strangers: [Image], rng: inout SplitMix64) -> (image: Image, person: Box) {
        let slot = Int(rng.next() % UInt64(strangers.count + 1))
        var tiles = strangers
        tiles.insert(person, at: slot)
        let sized = tiles.map { photo -> Image in
            let side = Int(Double(tile) * Double(rng.uniform(0.85, 1.15)))
            return photo.resized(width: side, height: side)
        }
        let gap = 24, height = Int(Double(tile) * 1.15) + 2 * gap
        var scene = Image(width: sized.reduce(gap) { $0 + $1.width + gap }, height: height, channels: 1, fill: 100)
        var x = gap, personBox = Box(x: 0, y: 0, width: 0, height: 0)
        for (index, photo) in sized.enumerated() {
            let y = (height - photo.height) / 2
            scene.paste(photo, x: x, y: y)
            if index == slot { personBox = Box(x: Double(x), y: Double(y), width: Double(photo.width), height: Double(photo.height)) }
            x += photo.width + gap
        }
        return (scene, personBox)
    }
}
