import Imaging
import Morph

extension MorphVideoJob {
    /// Smaller frame side of the quick alignment the colour statistics are measured on.
    static let statisticsSide = 160.0

    /// The colour transfer of each chosen photo (nil: left as it is), from the statistics of its face
    /// region in a small aligned frame (the photo decoded shrunk), so the pass costs little.
    static func colourTransfers(_ chosen: [(path: String, points: [Point])], aligner: FaceAligner) throws -> [ColourTransfer?] {
        let k = statisticsSide / Double(min(aligner.width, aligner.height))
        func even(_ side: Int) -> Int { max(2, 2 * Int((Double(side) * k / 2).rounded())) }
        let small = try FaceAligner(width: even(aligner.width), height: even(aligner.height), eyeLine: aligner.eyeLine,
                                    eyeDistance: aligner.eyeDistance, background: .extend)
        let statistics = try chosen.map { photo in
            ColourStatistics(of: try align(photo.path, points: photo.points, aligner: small).image, in: small.faceRegion)
        }
        return ColourHarmonizer().transfers(for: statistics)
    }
}
