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
/// Pairs of faces from different photos are linked strongest first (single linkage) when their cosine
/// reaches the threshold; photos close in the collection's order (close in age) need a little less,
/// so a child is matched through the years rather than only against the adult. Two groups are never
/// joined when they hold faces of the same photo: one person appears once in a photo.
public struct PersonGrouping: Sendable {
    /// The cosine at which two faces are taken for one person.
    public var threshold: Double
    /// How much less photos at most `nearby` apart in the order need.
    public var nearbyAllowance = 0.05
    /// Photos this close in the order count as nearby.
    public var nearby = 2

    /// A grouping at `threshold`.
    public init(threshold: Double) {
        self.threshold = threshold
    }

    /// The people: groups of faces, the group spanning the most photos first (ties: the group with the
    /// stronger links first), faces in collection order. `embeddings[p][f]` is face `f` of photo `p`
    /// (nil: a face that could not be embedded, never grouped).
    public func people(_ embeddings: [[[Float]?]]) -> [[FaceReference]] {
        let faces = embeddings.indices.flatMap { p in embeddings[p].indices.compactMap { f in embeddings[p][f] == nil ? nil : FaceReference(photo: p, face: f) } }
        var links = [(a: Int, b: Int, strength: Double)]()
        for i in faces.indices {
            for j in faces.indices where j > i && faces[i].photo != faces[j].photo {
                let cosine = Embedding.cosine(embeddings[faces[i].photo][faces[i].face]!, embeddings[faces[j].photo][faces[j].face]!)
                let near = abs(faces[i].photo - faces[j].photo) <= nearby
                let strength = cosine + (near ? nearbyAllowance : 0)
                if strength >= threshold { links.append((i, j, strength)) }
            }
        }
        links.sort { $0.strength != $1.strength ? $0.strength > $1.strength : ($0.a, $0.b) < ($1.a, $1.b) }
        // Union-find over faces; each root keeps its group's photos and the sum of its links' strengths.
        var parent = Array(faces.indices)
        var photos = faces.map { Set([$0.photo]) }
        var strength = [Double](repeating: 0, count: faces.count)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        for link in links {
            let a = root(link.a), b = root(link.b)
            guard a != b, photos[a].isDisjoint(with: photos[b]) else { continue }
            parent[b] = a
            photos[a].formUnion(photos[b])
            strength[a] += strength[b] + link.strength
        }
        let groups = Dictionary(grouping: faces.indices, by: root)
        return groups.sorted { x, y in
            (x.value.count, strength[x.key], -x.value.min()!) > (y.value.count, strength[y.key], -y.value.min()!)
        }.map { $0.value.map { faces[$0] }.sorted() }
    }
}
