import Foundation

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
/// reaches the threshold, the most alike groups first. The mean weighs each pair by how close its two
/// photos are in the collection's order (neighbouring photos are close in age, so a child is matched
/// through the years, one photo after the other), and photos at most `nearby` apart need a little
/// less. Linking any two faces that reach the threshold (single linkage) would chain strangers: at a
/// threshold that accepts one stranger pair in ten, a collection of a few people becomes one group.
/// Two groups are never joined when they hold faces of the same photo: one person appears once in a photo.
public struct PersonGrouping: Sendable {
    /// The mean cosine at which two groups of faces are taken for one person.
    public var threshold: Double
    /// How much less photos at most `nearby` apart need.
    public var nearbyAllowance = 0.05
    /// Photos this close in the order count as nearby.
    public var nearby = 2
    /// A pair of photos this far apart in the order weighs e^-1 as much as neighbours.
    public var orderScale = 1.5

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
        /// Group `a`'s most alike partner that may join it, and their mean.
        func partner(of a: Int) -> (group: Int, mean: Double)? {
            var best: (group: Int, mean: Double)?
            for b in faces.indices where b != a && alive[b] && photos[a].isDisjoint(with: photos[b]) {
                let mean = links.mean(a, b)
                if mean > best?.mean ?? -.infinity { best = (b, mean) }
            }
            return best
        }
        var partners = faces.indices.map(partner)
        while let a = faces.indices.filter({ alive[$0] && partners[$0] != nil }).max(by: { partners[$0]!.mean < partners[$1]!.mean }),
              let (b, mean) = partners[a], mean >= threshold {
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
                } else if photos[c].isDisjoint(with: photos[a]), links.mean(c, a) > partners[c]?.mean ?? -.infinity {
                    partners[c] = (a, links.mean(c, a))
                }
            }
        }
        let groups = faces.indices.filter { alive[$0] }
        return groups.sorted { x, y in
            (members[x].count, alike[x], -members[x].min()!) > (members[y].count, alike[y], -members[y].min()!)
        }.map { members[$0].map { faces[$0] }.sorted() }
    }
}

/// The order-weighted sums of pair strengths (cosine, plus the nearby allowance) and of weights between
/// groups of faces, kept up to date as groups merge. A group is numbered by the face it kept through its
/// merges; each sum is stored once per pair (upper triangle, 4 bytes: 10,000 faces take 400 MB).
private struct PairLinks {
    /// Face count.
    let count: Int
    /// Weighted strength sums and weight sums between groups, by `index(_:_:)`.
    var strength: [Float], weight: [Float]
    /// Photos further apart weigh as photos this far apart: e^-39 at the scale of 1.5, negligible beside
    /// nearer pairs yet within Float's range, so two groups with only far pairs still have a mean.
    static let farthest = 60

    init(faces: [FaceReference], embeddings: [[[Float]?]], grouping: PersonGrouping) {
        count = faces.count
        strength = [Float](repeating: 0, count: count * (count - 1) / 2)
        weight = strength
        for i in faces.indices {
            for j in faces.indices where j > i && faces[i].photo != faces[j].photo {
                let apart = abs(faces[i].photo - faces[j].photo)
                let cosine = Embedding.cosine(embeddings[faces[i].photo][faces[i].face]!, embeddings[faces[j].photo][faces[j].face]!)
                let w = exp(-Double(min(apart, PairLinks.farthest) - 1) / grouping.orderScale)
                strength[index(i, j)] = Float(w * (cosine + (apart <= grouping.nearby ? grouping.nearbyAllowance : 0)))
                weight[index(i, j)] = Float(w)
            }
        }
    }

    /// Where the pair of groups `a` and `b` (different) is stored.
    private func index(_ a: Int, _ b: Int) -> Int {
        let (low, high) = a < b ? (a, b) : (b, a)
        return low * (2 * count - low - 1) / 2 + high - low - 1
    }

    /// The weighted mean strength between groups `a` and `b`.
    func mean(_ a: Int, _ b: Int) -> Double {
        let w = weight[index(a, b)]
        return w > 0 ? Double(strength[index(a, b)] / w) : -.infinity
    }

    /// The weighted strength sum between groups `a` and `b`.
    func sum(_ a: Int, _ b: Int) -> Double { Double(strength[index(a, b)]) }

    /// Adds group `b`'s sums to group `a`'s.
    mutating func merge(_ b: Int, into a: Int) {
        for c in 0..<count where c != a && c != b {
            strength[index(a, c)] += strength[index(b, c)]
            weight[index(a, c)] += weight[index(b, c)]
        }
    }
}
