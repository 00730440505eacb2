import FaceAnalysis
import FaceData
import Foundation
import Imaging
import NeuralNet
import Pipeline
import Plumbing

/// `morph detect --people` measured: collections of a few people with several photos each, in random
/// order (so the order tells nothing), grouped as `--people` groups them. Each photo's face nearest its
/// centre is the one scored: the photos show one person each, sometimes with others behind.
public enum PeopleGroupingEvaluation {
    /// How a grouping agrees with the true people, pair by pair of scored faces, over all collections.
    public struct Report: Sendable, Equatable {
        /// How far above the identity model's threshold the groups were joined.
        public var margin: Double
        /// Collections, and scored faces in all.
        public var collections = 0, faces = 0
        /// Pairs of scored faces put together that are one person, put together that are two, and one
        /// person kept apart.
        public var together = 0, togetherWrongly = 0, keptApart = 0
        /// Groups holding a scored face, and people, summed over the collections.
        public var groups = 0, people = 0

        /// An empty report for `margin`.
        public init(margin: Double) {
            self.margin = margin
        }

        /// The share of pairs put together that are one person.
        public var precision: Double { Double(together) / Double(max(together + togetherWrongly, 1)) }
        /// The share of one person's pairs put together.
        public var recall: Double { Double(together) / Double(max(together + keptApart, 1)) }
        /// The harmonic mean of precision and recall.
        public var f1: Double { precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0 }

        /// Adds one collection: `people[i]` is scored face i's true person, `groups[i]` its group (nil: none).
        public mutating func add(people: [String], groups: [Int?]) {
            for i in people.indices {
                for j in people.indices where j > i {
                    let joined = groups[i] != nil && groups[i] == groups[j]
                    switch (people[i] == people[j], joined) {
                    case (true, true): together += 1
                    case (false, true): togetherWrongly += 1
                    case (true, false): keptApart += 1
                    case (false, false): break
                    }
                }
            }
            collections += 1
            faces += people.count
            self.groups += Set(groups.compactMap { $0 }).count
            self.people += Set(people).count
        }

        /// The line `morph eval identity` prints, marking the margin `--people` uses.
        public func line(modelThreshold: Double) -> String {
            String(format: "  threshold %.3f (the model's + %.2f%@): pairs put together that are one person %.1f%%, one person's pairs put together %.1f%%, F1 %.3f; %.1f groups per collection of %.1f people",
                   modelThreshold + margin, margin, abs(margin - PersonGrouping.identityMargin) < 1e-9 ? ", as --people" : "",
                   100 * precision, 100 * recall, f1, Double(groups) / Double(max(collections, 1)),
                   Double(people) / Double(max(collections, 1)))
        }
    }

    /// Draws `collections` collections of `peoplePerCollection` people from `photos` (person -> photo
    /// paths; people with fewer than `photosPerPerson` are left out; no person in two collections),
    /// `photosPerPerson` photos each, shuffled; analyses every photo with `analyzer` (which must have an
    /// identity model) and groups the faces at the model's threshold plus each of `margins`. Draws come
    /// from `seed`; `label` names the progress line.
    public static func evaluate(photos: [String: [String]], analyzer: FaceAnalyzer, margins: [Double], collections: Int = 8,
                                peoplePerCollection: Int = 5, photosPerPerson: Int = 6, seed: UInt64 = 11, label: String,
                                progress: ProgressReporter?) throws -> [Report] {
        guard let threshold = analyzer.identityThreshold else { throw PipelineError.noIdentityModel(option: "eval identity") }
        var rng = SplitMix64(seed: seed)
        let people = photos.keys.filter { photos[$0]!.count >= photosPerPerson }.sorted().shuffled(using: &rng)
        let count = min(collections, people.count / peoplePerCollection)
        var reports = margins.map(Report.init(margin:))
        let started = Date()
        for collection in 0..<count {
            progress?.update(label, done: collection + 1, total: count, detail: "", stepStart: started)
            let members = people[collection * peoplePerCollection ..< (collection + 1) * peoplePerCollection]
            let drawn = members.flatMap { person in photos[person]!.sorted().shuffled(using: &rng).prefix(photosPerPerson).map { (person, $0) } }
                .shuffled(using: &rng)
            let analyses = try drawn.map { try analyzer.analyze($0.1, mode: .grey) }
            let embeddings = analyses.map { $0.faces.map(\.embedding) }
            // The scored face of each photo: the one nearest its centre (nil: no face).
            let scored = analyses.map { analysis -> Int? in
                let middle = Point(x: Double(analysis.width) / 2, y: Double(analysis.height) / 2)
                return analysis.faces.indices.min { analysis.faces[$0].box.center.distance(to: middle) < analysis.faces[$1].box.center.distance(to: middle) }
            }
            for index in reports.indices {
                let grouped = PersonGrouping(threshold: threshold + reports[index].margin).people(embeddings)
                var groupOf = [FaceReference: Int]()
                for (number, group) in grouped.enumerated() { for face in group { groupOf[face] = number } }
                reports[index].add(people: drawn.map(\.0),
                                   groups: scored.enumerated().map { photo, face in face.flatMap { groupOf[FaceReference(photo: photo, face: $0)] } })
            }
        }
        return reports
    }

    /// The photos of each person of an LFW pairs file (`root/pairs`), by path.
    public static func lfwPhotos(root: URL, pairs: String) throws -> [String: [String]] {
        let names = try LFWProtocol.names(inPairs: root.appendingPathComponent(pairs))
        return try Dictionary(uniqueKeysWithValues: names.map { name in
            let count = try LFWProtocol.photoCount(of: name, root: root)
            return (name, (0..<count).map { LFWProtocol.Photo(name: name, number: $0 + 1).url(root: root).path })
        })
    }

    /// The photos of each IMM person (`PP-Vg.jpg`, person PP) in `folder`, by path.
    public static func immPhotos(folder: URL) throws -> [String: [String]] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.lowercased().hasSuffix(".jpg") }
        return Dictionary(grouping: files.map { folder.appendingPathComponent($0).path }) { String(URL(fileURLWithPath: $0).lastPathComponent.prefix(2)) }
    }
}
