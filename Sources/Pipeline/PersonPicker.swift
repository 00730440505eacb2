import Landmarks

/// The face a photo gives the video, and how sure the identity match is.
public struct PickedFace: Sendable {
    /// The face.
    public var face: AnalyzedFace
    /// The best cosine between this face and the person's faces in other photos (or the reference's);
    /// nil when the face was chosen without identity.
    public var similarity: Double?
}

/// Picks each photo's face: by a one-photo rule, or by following one person through the collection.
public struct PersonPicker: Sendable {
    /// The rule.
    public var choice: FaceChoice
    /// The grouping of faces into people (its threshold is the identity model's).
    public var grouping: PersonGrouping?
    /// The reference face's embedding for `.person`.
    public var reference: [Float]?

    /// A picker following `choice`; `grouping` is needed by `.auto` and `.person` (without it they fall
    /// back to the largest face), `reference` by `.person`.
    public init(choice: FaceChoice, grouping: PersonGrouping?, reference: [Float]? = nil) {
        self.choice = choice
        self.grouping = grouping
        self.reference = reference
    }

    /// One result per photo, in order: the picked face, or why the photo has none; and a note when
    /// `.auto` found nobody in two photos and took the largest faces instead.
    public func pick(_ photos: [PhotoFaces]) -> (faces: [Result<PickedFace, PhotoProblem>], note: String?) {
        guard choice.followsPerson, let grouping else { return (photoByPhoto(photos), nil) }
        var embeddings = photos.map { $0.faces.map(\.embedding) }
        let referencePhoto = choice == .person ? embeddings.count : nil
        if referencePhoto != nil { embeddings.append([reference]) }
        let people = grouping.people(embeddings, noAllowance: referencePhoto)
        if referencePhoto == nil, Set((people.first ?? []).map(\.photo)).count < min(2, photos.count) {
            return (photoByPhoto(photos), "no person appears in two of the photos: the largest face of each is used")
        }
        let person = referencePhoto.map { r in people.first { $0.contains(FaceReference(photo: r, face: 0)) } ?? [] } ?? people.first ?? []
        let byPhoto = Dictionary(uniqueKeysWithValues: person.map { ($0.photo, $0) })
        return (photos.indices.map { index in
            let photo = photos[index]
            guard let member = byPhoto[index] else {
                let reason = photo.faces.isEmpty ? "no face found"
                    : "the person was not found (\(photo.faces.count) face\(photo.faces.count == 1 ? "" : "s"), none matched)"
                return .failure(PhotoProblem(path: photo.path, reason: reason))
            }
            return .success(PickedFace(face: photo.faces[member.face],
                                       similarity: PersonGrouping.similarity(of: member, in: person, embeddings)))
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
