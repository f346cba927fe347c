/// Seconds each stage thread spent working (and the processing thread waiting for decoded
/// frames): with the stages overlapping, the largest is the bottleneck.
public struct StageSeconds: Codable, Equatable, Sendable {
    public var decode = 0.0
    public var process = 0.0
    /// The compose thread (foreground estimation, compositing), when the run has one.
    public var compose = 0.0
    public var encode = 0.0
    public var processWaiting = 0.0
    /// Of `process`, the time spent making the frames' trimaps (propagation); the rest is matting.
    public var trimaps = 0.0

    public init() {}
}
