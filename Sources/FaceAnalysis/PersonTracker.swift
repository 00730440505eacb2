import Foundation

/// Follows one person through an ordered photo collection by the faces' identity embeddings.
///
/// Two faces' likeness is their cosine, capped where they are surely one person: a photo that comes
/// twice (a copy, or a burst of near-identical shots) is then no more alike to itself than the person's
/// different photos are, and does not outweigh the person's presence in the other photos.
/// Every face gets a consensus score: its likeness, on average, to the most alike face of each other
/// photo (a face of the person who appears in most photos is alike to a face in most of them).
/// The best-scoring face of the collection (or the reference face) starts the person's picture. Then,
/// round after round, each photo picks the face most alike to the person as the OTHER photos' accepted
/// picks show them (mean likeness), weighted by closeness in the order (neighbouring photos are close in age, so a
/// child is matched through the years, one photo after the other); a pick is accepted when its likeness
/// reaches the threshold. A photo without an accepted pick has no face of the person, and its best
/// face does not shape the person's picture.
public struct PersonTracker: Sendable {
    /// The mean likeness a face must reach with the person's faces in other photos to be theirs.
    public var threshold: Double
    /// How far above `threshold` two faces' cosine makes them surely one person.
    public var sureMargin = PersonGrouping.identityMargin
    /// The cosine at which two faces are surely one person: the most their likeness counts.
    public var sureCosine: Double { threshold + sureMargin }
    /// Photos this far apart in the order weigh e^-1 as much as neighbours.
    public var orderScale = 1.5
    /// The most rounds of re-picking (they stop when no pick changes).
    public var rounds = 20

    /// A tracker at `threshold`.
    public init(threshold: Double) {
        self.threshold = threshold
    }

    /// One pick per photo: the index of the person's face and its weighted mean likeness with the
    /// person's faces in the other photos (and the `reference`, if any), or nil when the photo has no
    /// face reaching the threshold. `embeddings[p][f]` is face `f` of photo `p`; nil faces are never picked.
    public func follow(_ embeddings: [[[Float]?]], reference: [Float]? = nil) -> [(face: Int, similarity: Double)?] {
        var accepted = [(face: Int, similarity: Double)?](repeating: nil, count: embeddings.count)
        if reference == nil {
            let anchors = embeddings.indices.map { photo in
                best(in: embeddings[photo]) { consensus(of: $0, outside: photo, embeddings) }
            }
            guard let anchor = anchors.indices.filter({ anchors[$0] != nil }).max(by: { anchors[$0]!.similarity < anchors[$1]!.similarity })
            else { return accepted }
            accepted[anchor] = (anchors[anchor]!.face, 1)
        }
        for _ in 0..<rounds {
            let picks = embeddings.indices.map { photo -> (face: Int, similarity: Double)? in
                let person = members(outside: photo, accepted: accepted, embeddings, reference: reference)
                guard !person.isEmpty else { return accepted[photo] }
                return best(in: embeddings[photo]) { face in
                    person.reduce(0) { $0 + $1.weight * likeness(face, $1.embedding) } / person.reduce(0) { $0 + $1.weight }
                }.flatMap { $0.similarity >= threshold ? $0 : nil }
            }
            if zip(picks, accepted).allSatisfy({ $0?.face == $1?.face }) {
                accepted = picks
                break
            }
            accepted = picks
        }
        return accepted
    }

    /// The face of `faces` with the highest `score`, and that score.
    private func best(in faces: [[Float]?], _ score: ([Float]) -> Double) -> (face: Int, similarity: Double)? {
        faces.indices.compactMap { index in faces[index].map { (face: index, similarity: score($0)) } }
            .max { $0.similarity < $1.similarity }
    }

    /// The weight of photo `other` for photo `photo`.
    private func weight(_ photo: Int, _ other: Int) -> Double { exp(-Double(abs(photo - other) - 1) / orderScale) }

    /// Two faces' cosine, capped at `sureCosine`.
    private func likeness(_ a: [Float], _ b: [Float]) -> Double { min(Embedding.cosine(a, b), sureCosine) }

    /// The order-weighted mean, over the other photos, of `face`'s likeness with their most alike face; a
    /// thousandth of the uncapped cosines' mean breaks ties between faces that reach the cap everywhere.
    func consensus(of face: [Float], outside photo: Int, _ embeddings: [[[Float]?]]) -> Double {
        var capped = 0.0, sum = 0.0, total = 0.0
        for other in embeddings.indices where other != photo {
            guard let alike = embeddings[other].compactMap({ $0.map { Embedding.cosine(face, $0) } }).max() else { continue }
            capped += weight(photo, other) * min(alike, sureCosine)
            sum += weight(photo, other) * alike
            total += weight(photo, other)
        }
        return total > 0 ? (capped + sum / 1000) / total : 0
    }

    /// The person as the other photos' accepted picks show them, each with its weight (closeness in the
    /// order), and the reference weighing as much as all of them. A face's likeness to the person is
    /// its weighted mean likeness with these: a mean of cosines, not the cosine with a mean embedding,
    /// which would come closer to every face the more different faces it averages.
    private func members(outside photo: Int, accepted: [(face: Int, similarity: Double)?], _ embeddings: [[[Float]?]],
                         reference: [Float]?) -> [(embedding: [Float], weight: Double)] {
        var members = embeddings.indices.compactMap { other -> (embedding: [Float], weight: Double)? in
            guard other != photo, let pick = accepted[other], let face = embeddings[other][pick.face] else { return nil }
            return (face, weight(photo, other))
        }
        if let reference { members.append((reference, max(1, members.reduce(0) { $0 + $1.weight }))) }
        return members
    }
}
