/// The person, view and gender encoded in an IMM file name `PP-Vg` (e.g. `01-1m`).
public struct IMMFileName: Equatable, Hashable, Sendable {
    /// The subject's gender as the file name records it.
    public enum Gender: String, Sendable {
        /// `m` in the file name.
        case male = "m"
        /// `f` in the file name.
        case female = "f"
    }

    /// Person number, 1-40.
    public let person: Int
    /// View 1-6: 1 frontal neutral, 2 frontal happy, 3 turned about 30 degrees to the person's
    /// right, 4 turned to the left, 5 frontal with spot light, 6 arbitrary expression.
    public let view: Int
    /// The subject's gender.
    public let gender: Gender

    /// Parses a base name such as `01-1m` (an extension, if present, is ignored); nil when it
    /// does not follow the `PP-Vg` pattern.
    public init?(_ name: String) {
        let base = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
        let pieces = base.split(separator: "-")
        guard pieces.count == 2, pieces[0].count == 2, let person = Int(pieces[0]), person > 0,
              let genderCharacter = pieces[1].last, let gender = Gender(rawValue: String(genderCharacter)),
              let view = Int(pieces[1].dropLast()), view > 0 else { return nil }
        self.person = person
        self.view = view
        self.gender = gender
    }
}
