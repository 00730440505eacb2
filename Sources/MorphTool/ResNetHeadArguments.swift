import ArgumentParser
import ConvNet
import FaceAnalysis
import Training

/// How a ResNet18 keypoint model reads its last feature map: the options `morph train landmarks` and the
/// IMM second stages share.
struct ResNetHeadArguments: ParsableArguments {
    @Option(help: "How the last layer reads ResNet18's feature map: pool (global average, as torchvision), flatten (keeps where each feature is) or integral (each cell votes for each point; a softmax weighs the votes).")
    var head: HeadKind = .integral

    @Option(help: "Input pixels per cell of ResNet18's last feature map: 32 (torchvision), 16 (layer4 unstrided: a map twice as fine for the flatten and integral heads, layer4 costs 4x), or 8 (integral head only: layer4's map also enlarged and merged into layer2's, a feature-pyramid step). Default: 16 for the integral head, 32 otherwise.")
    var featureStride: Int?

    @Option(help: ArgumentHelp("Integral head: weight of a cross-entropy that teaches each point's cell scores to peak at its cell (0: none; default: 1 for the integral head).",
                               discussion: "The target splits each point over the 4 nearest cell centres (bilinear weights), so the scores learn where the point is and each cell's offset learns the rest."))
    var cellLossWeight: Float?

    func validate() throws {
        if let featureStride, !ResNet18.outputStrides.contains(featureStride) {
            throw ValidationError("--feature-stride must be \(ResNet18.outputStridesText), not \(featureStride)")
        }
        if featureStride == 8, head != .integral { throw ValidationError("--feature-stride 8 needs --head integral") }
        if let cellLossWeight {
            try OptionCheck.require(cellLossWeight, in: 0...1000, "--cell-loss-weight")
            if cellLossWeight > 0, head != .integral { throw ValidationError("--cell-loss-weight needs --head integral") }
        }
    }

    /// Sets `spec`'s head and feature stride and `recipe`'s cell loss weight.
    func configure(_ spec: inout KeypointModelSpec, _ recipe: inout TrainingOptions) {
        spec.head = head
        spec.featureStride = featureStride ?? (head == .integral ? 16 : 32)
        recipe.cellLossWeight = cellLossWeight ?? (head == .integral ? 1 : 0)
    }
}
