/// How transition progress maps to the blend and shape weight of a morph frame.
public enum Easing: String, CaseIterable, Sendable {
    /// Weight equals progress.
    case linear
    /// Smoothstep `3t^2 - 2t^3`: starts and ends gently.
    case smooth

    /// The weight for progress `t` in [0, 1]; both curves fix 0 and 1 exactly.
    public func apply(_ t: Double) -> Double {
        let x = min(max(t, 0), 1)
        switch self {
        case .linear: return x
        case .smooth: return x * x * (3 - 2 * x)
        }
    }
}
