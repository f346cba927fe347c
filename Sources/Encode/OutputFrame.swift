import MatteCore

/// A frame on its way to an output: the colour planes, the matte, or both, and its time.
public struct OutputFrame: Sendable {
    /// Three planes R, G, B in 0...1 (nil for alpha-only outputs).
    public var rgb: ImageTensor?
    /// One plane, straight alpha in 0...1 (nil for opaque composites).
    public var alpha: ImageTensor?
    public var index: Int
    public var pts: Int64
    public var timeBase: Rational
    /// Set for a frame an interrupted run already wrote (resumed PNG sequences): nothing to encode.
    public var alreadyWritten = false

    public init(rgb: ImageTensor?, alpha: ImageTensor?, index: Int, pts: Int64, timeBase: Rational) {
        self.rgb = rgb
        self.alpha = alpha
        self.index = index
        self.pts = pts
        self.timeBase = timeBase
    }
}
