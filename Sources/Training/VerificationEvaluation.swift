import FaceAnalysis

/// How well similarity scores tell same-person pairs from different-person pairs.
public struct VerificationReport: Codable, Sendable {
    /// Accuracy: at the threshold picked on all pairs (one fold), or the mean over folds of the
    /// accuracy on each fold at the threshold picked on the others.
    public var accuracy: Double
    /// Standard deviation of the per-fold accuracies (0 for one fold).
    public var accuracySpread: Double
    /// The threshold with the best accuracy on all pairs.
    public var threshold: Double
    /// Area under the ROC curve.
    public var auc: Double
    /// Share of same-person pairs accepted when at most 1% and 0.1% of the different-person pairs are.
    public var trueAcceptAt1Percent: Double, trueAcceptAtTenthPercent: Double
    /// The ROC curve: (false-accept rate, true-accept rate) from (0, 0) to (1, 1).
    public var roc: [RatePoint]

    /// One point of the ROC curve.
    public struct RatePoint: Codable, Sendable, Equatable {
        /// Share of different-person pairs accepted.
        public var falseAccept: Double
        /// Share of same-person pairs accepted.
        public var trueAccept: Double
    }
}

/// Verification figures (LFW's protocol) and rank-1 identification.
public enum VerificationEvaluation {
    /// The report for `scores` (higher: more alike) of pairs where `same` tells the truth. With
    /// `folds` > 1 the pairs are dealt into folds in turn (pair i into fold i mod folds).
    public static func evaluate(scores: [Double], same: [Bool], folds: Int = 10) -> VerificationReport {
        precondition(scores.count == same.count && folds >= 1, "one label per score, at least one fold")
        let all = Array(scores.indices)
        var accuracies = [Double]()
        if folds == 1 {
            accuracies = [accuracy(scores, same, all, threshold: bestThreshold(scores, same, all))]
        } else {
            for fold in 0..<folds {
                let test = all.filter { $0 % folds == fold }, rest = all.filter { $0 % folds != fold }
                guard !test.isEmpty else { continue }
                accuracies.append(accuracy(scores, same, test, threshold: bestThreshold(scores, same, rest)))
            }
        }
        let mean = accuracies.reduce(0, +) / Double(max(accuracies.count, 1))
        let spread = (accuracies.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(accuracies.count, 1))).squareRoot()
        let curve = roc(scores, same)
        return VerificationReport(accuracy: mean, accuracySpread: spread, threshold: bestThreshold(scores, same, all),
                                  auc: area(curve), trueAcceptAt1Percent: trueAccept(curve, atMost: 0.01),
                                  trueAcceptAtTenthPercent: trueAccept(curve, atMost: 0.001), roc: curve)
    }

    /// The share of `indices` classified right by `score >= threshold`.
    static func accuracy(_ scores: [Double], _ same: [Bool], _ indices: [Int], threshold: Double) -> Double {
        Double(indices.filter { (scores[$0] >= threshold) == same[$0] }.count) / Double(max(indices.count, 1))
    }

    /// The threshold (midway between neighbouring scores) with the best accuracy over `indices`.
    static func bestThreshold(_ scores: [Double], _ same: [Bool], _ indices: [Int]) -> Double {
        let sorted = indices.sorted { scores[$0] < scores[$1] }
        guard let first = sorted.first else { return 0 }
        // Threshold below everything: every pair accepted; then step over the sorted scores.
        var correct = sorted.filter { same[$0] }.count, best = correct, threshold = scores[first] - 1e-6
        for (k, index) in sorted.enumerated() {
            correct += same[index] ? -1 : 1
            let next = k + 1 < sorted.count ? scores[sorted[k + 1]] : scores[index] + 2e-6
            if correct > best && next > scores[index] {
                best = correct
                threshold = (scores[index] + next) / 2
            }
        }
        return threshold
    }

    /// The ROC curve, one point per distinct score from the highest down.
    static func roc(_ scores: [Double], _ same: [Bool]) -> [VerificationReport.RatePoint] {
        let positives = Double(max(same.filter { $0 }.count, 1)), negatives = Double(max(same.filter { !$0 }.count, 1))
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var points = [VerificationReport.RatePoint(falseAccept: 0, trueAccept: 0)], tp = 0.0, fp = 0.0
        for (k, index) in order.enumerated() {
            if same[index] { tp += 1 } else { fp += 1 }
            if k + 1 == order.count || scores[order[k + 1]] < scores[index] {
                points.append(.init(falseAccept: fp / negatives, trueAccept: tp / positives))
            }
        }
        return points
    }

    /// The area under a ROC curve (trapezoids).
    static func area(_ curve: [VerificationReport.RatePoint]) -> Double {
        zip(curve, curve.dropFirst()).reduce(0) { $0 + ($1.1.falseAccept - $1.0.falseAccept) * ($1.1.trueAccept + $1.0.trueAccept) / 2 }
    }

    /// The best true-accept rate whose false-accept rate is at most `rate`.
    static func trueAccept(_ curve: [VerificationReport.RatePoint], atMost rate: Double) -> Double {
        curve.filter { $0.falseAccept <= rate + 1e-12 }.map(\.trueAccept).max() ?? 0
    }

    /// Rank-1 identification: the share of embeddings whose most similar other embedding has the same label.
    public static func rankOne(_ embeddings: [[Float]], labels: [Int]) -> Double {
        precondition(embeddings.count == labels.count, "one label per embedding")
        let hits = embeddings.indices.filter { i in
            let nearest = embeddings.indices.filter { $0 != i }.max {
                Embedding.cosine(embeddings[i], embeddings[$0]) < Embedding.cosine(embeddings[i], embeddings[$1])
            }
            return nearest.map { labels[$0] == labels[i] } ?? false
        }
        return Double(hits.count) / Double(max(embeddings.count, 1))
    }
}
