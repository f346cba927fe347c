import MatteCore

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
