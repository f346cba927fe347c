import MatteCore

/// One frame's scores as `vmatte eval` reports them: the image scores, plus the temporal ones
/// from the second frame on (dtSSD ×1e2, MESSDdt ×1e3) when it has the previous frame's size.
public struct FrameEvaluation: Sendable, Codable, Equatable {
    public var frame: Int
    public var scores: MattingScores
    public var dtSSD: Double?
    public var messdt: Double?
}
