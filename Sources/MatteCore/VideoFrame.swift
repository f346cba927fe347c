/// One decoded picture: RGB planes (or a single alpha/grey plane) plus where it sits in time.
public struct VideoFrame: Sendable {
    /// Zero-based position in the decoded stream (after any frame-range selection: the source index).
    public var index: Int
    /// Presentation timestamp in `timeBase` units.
    public var pts: Int64
    public var timeBase: Rational
    public var image: ImageTensor

    public init(index: Int = 0, pts: Int64 = 0, timeBase: Rational = Rational(1, 25), image: ImageTensor) {
        self.index = index
        self.pts = pts
        self.timeBase = timeBase
        self.image = image
    }

    /// Presentation time in seconds.
    public var seconds: Double { Double(pts) * timeBase.doubleValue }
}
