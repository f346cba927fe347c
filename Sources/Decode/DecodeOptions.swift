import MatteCore

/// Settings for opening an input.
public struct DecodeOptions: Sendable {
    public var planes: DecodedPlanes = .rgb
    /// libav decoding threads; 0 lets libav choose.
    public var threads: Int = 0
    /// Frames to deliver; the others are decoded (as needed) and skipped.
    public var frameRange: FrameRange?
    /// Rate given to image sequences, which carry none.
    public var sequenceFrameRate = Rational(25, 1)
    /// Turn frames as the stream's display matrix says (phone footage), as players and the
    /// ffmpeg CLI do; false keeps the coded picture.
    public var autorotate = DecodeOptions.autorotatesByDefault
    /// What `autorotate` starts as: the command line sets it once (`--no-autorotate`) before
    /// any input is opened, so that every input of a run is read the same way.
    nonisolated(unsafe) public static var autorotatesByDefault = true
    /// Image folders: each image keeps its own size (a set of stills) instead of having to
    /// share the first image's (a clip); `info` then gives the first image's size.
    public var allowsMixedSizes = false

    public init(planes: DecodedPlanes = .rgb, threads: Int = 0, frameRange: FrameRange? = nil,
                sequenceFrameRate: Rational = Rational(25, 1), allowsMixedSizes: Bool = false) {
        self.planes = planes
        self.threads = threads
        self.frameRange = frameRange
        self.sequenceFrameRate = sequenceFrameRate
        self.allowsMixedSizes = allowsMixedSizes
    }
}
