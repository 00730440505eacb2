extension Array where Element == Double {
    /// The middle value once sorted (the upper of the two middle ones for an even count); 0 when empty.
    public var median: Double { isEmpty ? 0 : sorted()[count / 2] }
}
