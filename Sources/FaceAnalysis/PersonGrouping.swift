/// One face of a collection: photo `photo` (in the collection's order), face `face` of it.
public struct FaceReference: Hashable, Sendable, Comparable {
    /// The photo's position in the collection.
    public var photo: Int
    /// The face's position in the photo's face list.
    public var face: Int

    /// Face `face` of photo `photo`.
    public init(photo: Int, face: Int) {
        self.photo = photo
        self.face = face
    }

    public static func < (a: FaceReference, b: FaceReference) -> Bool { (a.photo, a.face) < (b.photo, b.face) }
}

/// Groups the faces of a photo collection into people by their identity embeddings.
///
/// Average linkage: two groups become one person when the mean cosine over every pair of their faces
/// reaches the threshold, the most alike groups first; photos at most `nearby` apart in the order need a
/// little less. Linking any two faces that reach the threshold (single linkage) would chain strangers:
/// at a threshold that accepts one stranger pair in ten, a collection of a few people becomes one group.
/// Weighing pairs by closeness in the order (as `PersonTracker` does) would chain them too, through
/// neighbouring photos, in a long collection. Two groups are never joined when they hold faces of the
/// same photo: one person appears once in a photo.
public struct PersonGrouping: Sendable {
    /// The mean cosine at which two groups of faces are taken for one person.
    public var threshold: Double
    /// How much less photos at most `nearby` apart need.
    public var nearbyAllowance = 0.05
    /// Photos this close in the order count as nearby.
    public var nearby = 2

    /// How far above the identity model's threshold (the cosine that best tells two faces apart, one
    /// pair at a time) a group's mean must reach: on collections of 5 IMM or LFW people, 6 photos each,
    /// in no order, it gives the best pairwise F1 (docs/experiments.md).
    public static let identityMargin = 0.25

    /// A grouping at `threshold`.
    public init(threshold: Double) {
        self.threshold = threshold
    }

    /// The people: groups of faces, the group spanning the most photos first (ties: the group whose faces
    /// are more alike first), faces in collection order. `embeddings[p][f]` is face `f` of photo `p`
    /// (nil: a face that could not be embedded, never grouped).
    public func people(_ embeddings: [[[Float]?]]) -> [[FaceReference]] {
        let faces = embeddings.indices.flatMap { p in embeddings[p].indices.compactMap { f in embeddings[p][f] == nil ? nil : FaceReference(photo: p, face: f) } }
        var links = PairLinks(faces: faces, embeddings: embeddings, grouping: self)
        var members = faces.indices.map { [$0] }
        var photos = faces.map { Set([$0.photo]) }
        var alike = [Double](repeating: 0, count: faces.count)
        var alive = [Bool](repeating: true, count: faces.count)
        /// The mean strength of the pairs between groups `a` and `b`, or nil when they share a photo.
        func mean(_ a: Int, _ b: Int) -> Double? {
            photos[a].isDisjoint(with: photos[b]) ? links.sum(a, b) / Double(members[a].count * members[b].count) : nil
        }
        /// Group `a`'s most alike partner that may join it, and their mean.
        func partner(of a: Int) -> (group: Int, mean: Double)? {
            var best: (group: Int, mean: Double)?
            for b in faces.indices where b != a && alive[b] {
                if let m = mean(a, b), m > best?.mean ?? -.infinity { best = (b, m) }
            }
            return best
        }
        var partners = faces.indices.map(partner)
        while let a = faces.indices.lazy.filter({ alive[$0] && partners[$0] != nil }).max(by: { partners[$0]!.mean < partners[$1]!.mean }),
              let (b, best) = partners[a], best >= threshold {
            alike[a] += alike[b] + links.sum(a, b)
            links.merge(b, into: a)
            members[a] += members[b]
            photos[a].formUnion(photos[b])
            alive[b] = false
            partners[b] = nil
            partners[a] = partner(of: a)
            for c in faces.indices where alive[c] && c != a {
                if partners[c]?.group == a || partners[c]?.group == b {
                    partners[c] = partner(of: c)
                } else if let m = mean(c, a), m > partners[c]?.mean ?? -.infinity {
                    partners[c] = (a, m)
                }
            }
        }
        let groups = faces.indices.filter { alive[$0] }
        return groups.sorted { x, y in
            (members[x].count, alike[x], -members[x].min()!) > (members[y].count, alike[y], -members[y].min()!)
        }.map { members[$0].map { faces[$0] }.sorted() }
    }
}

/// The sums of pair strengths (cosine, plus the nearby allowance) between groups of faces, kept up to
/// date as groups merge. A group is numbered by the face it kept through its merges; each sum is stored
/// once per pair (upper triangle, 4 bytes: 10,000 faces take 200 MB).
private struct PairLinks {
    /// Face count.
    let count: Int
    /// Strength sums between groups, by `index(_:_:)`.
    var strength: [Float]

    init(faces: [FaceReference], embeddings: [[[Float]?]], grouping: PersonGrouping) {
        count = faces.count
        strength = [Float](repeating: 0, count: count * (count - 1) / 2)
        for i in faces.indices {
            for j in faces.indices where j > i && faces[i].photo != faces[j].photo {
                let cosine = Embedding.cosine(embeddings[faces[i].photo][faces[i].face]!, embeddings[faces[j].photo][faces[j].face]!)
                let near = abs(faces[i].photo - faces[j].photo) <= grouping.nearby
                strength[index(i, j)] = Float(cosine + (near ? grouping.nearbyAllowance : 0))
            }
        }
    }

    /// Where the pair of groups `a` and `b` (different) is stored.
    private func index(_ a: Int, _ b: Int) -> Int {
        let (low, high) = a < b ? (a, b) : (b, a)
        return low * (2 * count - low - 1) / 2 + high - low - 1
    }

    /// The strength sum between groups `a` and `b`.
    func sum(_ a: Int, _ b: Int) -> Double { Double(strength[index(a, b)]) }

    /// Adds group `b`'s sums to group `a`'s.
    mutating func merge(_ b: Int, into a: Int) {
        for c in 0..<count where c != a && c != b { strength[index(a, c)] += strength[index(b, c)] }
    }
}
