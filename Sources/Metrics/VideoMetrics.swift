import MatteCore

/// Temporal coherence errors of the videomatting.com benchmark (Erofeev et al., BMVC 2015),
/// per pair of consecutive frames, over the whole frame; see docs/metrics.md.
public enum TemporalErrors {
    /// dtSSD_t = sqrt( Σ_p ((pred_t − pred_{t−1}) − (gt_t − gt_{t−1}))² / N ), unscaled.
    public static func dtSSD(pred: ImageTensor, previousPred: ImageTensor, gt: ImageTensor, previousGT: ImageTensor) -> Double {
        check(pred, previousPred, gt, previousGT)
        var total = 0.0
        for k in 0..<gt.planeSize {
            let d = (Double(pred.pixels[k]) - Double(previousPred.pixels[k])) - (Double(gt.pixels[k]) - Double(previousGT.pixels[k]))
            total += d * d
        }
        return (total / Double(max(gt.planeSize, 1))).squareRoot()
    }

    /// MESSDdt_t = Σ_p |(pred_t − gt_t)² − (pred_{t−1} − gt_{t−1})²| / N with zero motion (no
    /// ground-truth motion vectors: each pixel is compared with the same pixel), unscaled.
    public static func messdt(pred: ImageTensor, previousPred: ImageTensor, gt: ImageTensor, previousGT: ImageTensor) -> Double {
        check(pred, previousPred, gt, previousGT)
        var total = 0.0
        for k in 0..<gt.planeSize {
            let now = Double(pred.pixels[k]) - Double(gt.pixels[k])
            let before = Double(previousPred.pixels[k]) - Double(previousGT.pixels[k])
            total += abs(now * now - before * before)
        }
        return total / Double(max(gt.planeSize, 1))
    }

    static func check(_ images: ImageTensor...) {
        precondition(images.allSatisfy { $0.width == images[0].width && $0.height == images[0].height }, "frames differ in size")
    }
}

/// One frame's scores as `vmatte eval` reports them: the image scores, plus the temporal ones
/// from the second frame on (dtSSD ×1e2, MESSDdt ×1e3) when it has the previous frame's size.
public struct FrameEvaluation: Sendable, Codable, Equatable {
    public var frame: Int
    public var scores: MattingScores
    public var dtSSD: Double?
    public var messdt: Double?
}

/// Scores a sequence frame by frame, keeping the previous frame for the temporal errors. In a set
/// of stills of different sizes each image is scored on its own: a frame whose size differs
/// from the previous one has no temporal scores.
public struct SequenceEvaluator {
    /// The reported scale of dtSSD (per-frame values ×100).
    public static let dtSSDScale = 1e2
    /// The reported scale of MESSDdt (per-frame values ×1000).
    public static let messdtScale = 1e3

    public private(set) var frames: [FrameEvaluation] = []
    private var previous: (pred: ImageTensor, gt: ImageTensor)?

    public init() {}

    /// Scores the next frame and returns its evaluation.
    @discardableResult
    public mutating func add(frame: Int, pred: ImageTensor, gt: ImageTensor, region: EvaluationRegion) -> FrameEvaluation {
        var evaluation = FrameEvaluation(frame: frame, scores: MattingMetrics.scores(pred: pred, gt: gt, region: region))
        if let previous, previous.gt.width == gt.width, previous.gt.height == gt.height {
            evaluation.dtSSD = TemporalErrors.dtSSD(pred: pred, previousPred: previous.pred, gt: gt, previousGT: previous.gt) * Self.dtSSDScale
            evaluation.messdt = TemporalErrors.messdt(pred: pred, previousPred: previous.pred, gt: gt, previousGT: previous.gt) * Self.messdtScale
        }
        previous = (pred, gt)
        frames.append(evaluation)
        return evaluation
    }

    /// Means over the frames: image scores over all frames, temporal ones over the frames that
    /// have them (frames 1…T−1 of a clip; nil when none has).
    public var mean: (scores: MattingScores, dtSSD: Double?, messdt: Double?) {
        let n = Double(max(frames.count, 1))
        let scores = MattingScores(sad: frames.reduce(0) { $0 + $1.scores.sad } / n,
                                   mse: frames.reduce(0) { $0 + $1.scores.mse } / n,
                                   gradient: frames.reduce(0) { $0 + $1.scores.gradient } / n,
                                   connectivity: frames.reduce(0) { $0 + $1.scores.connectivity } / n)
        let temporal = frames.filter { $0.dtSSD != nil }
        guard !temporal.isEmpty else { return (scores, nil, nil) }
        let t = Double(temporal.count)
        return (scores, temporal.reduce(0) { $0 + ($1.dtSSD ?? 0) } / t, temporal.reduce(0) { $0 + ($1.messdt ?? 0) } / t)
    }
}
