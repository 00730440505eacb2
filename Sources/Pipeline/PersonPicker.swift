import FaceAnalysis

/// The face a photo gives the video, and how sure the identity match is.
public struct PickedFace: Sendable {
    /// The face.
    public var face: AnalyzedFace
    /// This face's mean likeness (cosine, capped where surely one person: `PersonTracker.sureCosine`) with
    /// the person as the other photos (and the reference) show them; nil when chosen without identity.
    public var similarity: Double?
}

/// Picks each photo's face: by a one-photo rule, or by following one person through the collection.
public struct PersonPicker: Sendable {
    /// The rule.
    public var choice: FaceChoice
    /// Follows the person by identity (its threshold is the identity model's).
    public var tracker: PersonTracker?
    /// The reference face's embedding for `.person`.
    public var reference: [Float]?

    /// A picker following `choice`; `tracker` is needed by `.auto` and `.person` (without it they fall
    /// back to the largest face), `reference` by `.person`.
    public init(choice: FaceChoice, tracker: PersonTracker?, reference: [Float]? = nil) {
        self.choice = choice
        self.tracker = tracker
        self.reference = reference
    }

    /// One result per photo, in order: the picked face, or why the photo has none; and a note when
    /// `.auto` found the same person in fewer than two photos, or in fewer than a third of the photos
    /// with faces (a collection of different people), and took the largest faces instead.
    public func pick(_ photos: [PhotoFaces]) -> (faces: [Result<PickedFace, PhotoProblem>], note: String?) {
        guard choice.followsPerson, let tracker else { return (photoByPhoto(photos), nil) }
        let embeddings = photos.map { $0.faces.map(\.embedding) }
        let follow = tracker.follow(embeddings, reference: choice == .person ? reference : nil)
        let found = follow.compactMap { $0 }.count, withFaces = photos.filter { !$0.faces.isEmpty }.count
        if choice == .auto, withFaces >= 2, found < 2 || 3 * found < withFaces {
            return (photoByPhoto(photos), "no person appears in most of the photos: the largest face of each is used")
        }
        return (zip(photos, follow).map { photo, pick in
            guard let pick else {
                let reason = photo.faces.isEmpty ? "no face found"
                    : "the person was not found (\(photo.faces.count) face\(photo.faces.count == 1 ? "" : "s"), none matched)"
                return .failure(PhotoProblem(path: photo.path, reason: reason))
            }
            return .success(PickedFace(face: photo.faces[pick.face], similarity: pick.similarity))
        }, nil)
    }

    /// Each photo's face by the one-photo rule.
    private func photoByPhoto(_ photos: [PhotoFaces]) -> [Result<PickedFace, PhotoProblem>] {
        photos.map { photo in
            choice.pick(from: photo).map { .success(PickedFace(face: $0, similarity: nil)) }
                ?? .failure(PhotoProblem(path: photo.path, reason: photo.faces.isEmpty ? "no face found" : "no face \(choice)"))
        }
    }
}
