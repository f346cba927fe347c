/// The picture size and timing a stream of frames is written with.
public struct VideoFormat: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var frameRate: Rational
    /// The time base the frames' pts are given in.
    public var timeBase: Rational

    public init(width: Int, height: Int, frameRate: Rational, timeBase: Rational) {
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.timeBase = timeBase
    }
}
