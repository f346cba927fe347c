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
