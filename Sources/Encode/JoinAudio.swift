/// Audio for a join taken from the source clip rather than from the chunks: the segments of
/// one resumable run carry video only, and the sound is muxed (or re-encoded) once, in a single
/// pass, when they are joined.
public struct JoinAudio: Sendable {
    /// The clip whose best audio stream is used (the one the decoder picks).
    public var sourcePath: String
    /// The span of source time kept, in seconds; nil keeps all of it.
    public var window: Range<Double>?
    /// Codec used when the output container cannot hold the source's.
    public var fallbackCodec: String?

    public init(sourcePath: String, window: Range<Double>?, fallbackCodec: String?) {
        self.sourcePath = sourcePath
        self.window = window
        self.fallbackCodec = fallbackCodec
    }
}
