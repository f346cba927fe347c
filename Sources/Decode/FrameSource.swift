import FFmpegSupport
import MatteCore

/// Anything that yields video frames in order: a movie file or an image sequence.
public protocol FrameSource: AnyObject, Sendable {
    var info: VideoStreamInfo { get }
    /// The audio stream beside the video, if any (outputs take it from the file with `JoinAudio`).
    var audio: StreamParameters? { get }
    /// Decodes the next frame into `output` (reusing its storage); false at the end.
    func read(into output: inout VideoFrame) throws -> Bool
}
