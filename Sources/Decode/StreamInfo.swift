import MatteCore

/// What a decoder knows about the video it reads, before and while reading it.
public struct VideoStreamInfo: Sendable, Codable {
    public var path: String
    /// The size of every decoded frame: the picture as players show it (turned by the stream's
    /// display matrix, see `orientation`) unless autorotation is off, then the coded picture.
    public var width: Int
    public var height: Int
    /// Size a player shows, after the pixel aspect ratio (equal to width/height for square pixels).
    public var displayWidth: Int
    public var displayHeight: Int
    /// How the decoded frames were turned from the coded picture (`upright`: not at all).
    public var orientation: DisplayOrientation = .upright
    /// What the stream's display matrix asks for, whether or not it was applied.
    public var displayMatrixOrientation: DisplayOrientation = .upright
    public var frameRate: Rational
    public var timeBase: Rational
    /// Number of frames the container promises, when it says.
    public var frameCount: Int?
    /// True when `frameCount` comes from the container's index rather than duration × rate.
    public var frameCountIsExact: Bool
    public var durationSeconds: Double?
    public var codecName: String
    public var pixelFormat: String
    public var bitsPerComponent: Int
    public var hasAlpha: Bool
    /// "tv" (limited) or "pc" (full) as used for the conversion.
    public var colorRange: String
    /// The YCbCr matrix used for the conversion ("bt709", "bt470bg", ... or "rgb").
    public var colorMatrix: String

    /// The size and timing outputs made from this stream are written with.
    public var format: VideoFormat { VideoFormat(width: width, height: height, frameRate: frameRate, timeBase: timeBase) }
}

/// Which planes a decoder produces.
public enum DecodedPlanes: Sendable {
    /// Three planes R, G, B in 0...1.
    case rgb
    /// One plane: the alpha channel when the source has one, else its grey level (a matte video).
    case matte
    /// One plane: the grey level (luma), ignoring any alpha (trimaps).
    case grey
}

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
