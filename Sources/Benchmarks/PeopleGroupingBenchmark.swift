import Dispatch
import FaceAnalysis
import Foundation
import NeuralNet

/// The speed of `morph detect --people` on large synthetic collections (grouping only, no photos).
public enum PeopleGroupingBenchmark {
    /// The shipped identity model's same-person threshold, which `--people` raises by its margin.
    static let identityThreshold = 0.1461

    /// Embeddings of a synthetic collection of `photos` photos: the collection's person in 3 photos of 4,
    /// a friend in 1 of 4, one stranger in each photo and a second in every other one; a stranger appears
    /// once. A face is its person's direction plus as much noise (128 dimensions, unit length): faces of
    /// one person meet at a cosine of about 0.5, strangers at about 0 (± 0.09).
    /// Returns `embeddings[photo][face]` and each face's person (0: the person, 1: the friend, 2...: strangers).
    static func collection(photos: Int, seed: UInt64) -> (embeddings: [[[Float]?]], people: [[Int]]) {
        var rng = SplitMix64(seed: seed)
        let size = IdentityNetwork.embeddingSize
        func direction() -> [Float] { Embedding.unit((0..<size).map { _ in Float.random(in: -1...1, using: &rng) }) }
        func face(of person: [Float]) -> [Float] { Embedding.unit(zip(person, direction()).map(+)) }
        let person = direction(), friend = direction()
        var embeddings: [[[Float]?]] = [], people: [[Int]] = []
        var strangers = 2
        for photo in 0..<photos {
            var faces: [[Float]?] = [], who: [Int] = []
            if photo % 4 != 3 { faces.append(face(of: person)); who.append(0) }
            if photo % 4 == 1 { faces.append(face(of: friend)); who.append(1) }
            for _ in 0..<(photo % 2 == 0 ? 2 : 1) {
                faces.append(face(of: direction())); who.append(strangers)
                strangers += 1
            }
            embeddings.append(faces)
            people.append(who)
        }
        return (embeddings, people)
    }

    /// `morph bench people`: for each collection size, the faces, the grouping's time and pair-table
    /// memory, and how many of the person's faces its largest group holds (and how many others).
    public static func lines(photoCounts: [Int], seed: UInt64 = 1) -> [String] {
        let grouping = PersonGrouping(threshold: identityThreshold + PersonGrouping.identityMargin)
        return photoCounts.map { photos in
            let (embeddings, people) = collection(photos: photos, seed: seed)
            let faces = embeddings.reduce(0) { $0 + $1.count }
            let start = DispatchTime.now().uptimeNanoseconds
            let groups = grouping.people(embeddings)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let first = groups.first ?? []
            let ofPerson = first.filter { people[$0.photo][$0.face] == 0 }.count
            let personFaces = people.joined().filter { $0 == 0 }.count
            let tableMB = Double(faces * (faces - 1) / 2 * MemoryLayout<Float>.size) / 1e6
            return String(format: "%d photos, %d faces: %.2f s, pair table %.0f MB; %d groups; the largest holds %d of the person's %d faces and %d others",
                          photos, faces, seconds, tableMB, groups.count, ofPerson, personFaces, first.count - ofPerson)
        }
    }
}
