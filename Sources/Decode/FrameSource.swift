import FFmpegSupport
import MatteCore

/// Anything that yields video frames in order: a movie file or an image sequence.
public protocol FrameSource: AnyObject, Sendable {
    var info: VideoStreamInfo { get }
    /// The audio stream to carry into the output, if any.
    var audio: StreamParameters? { get }
    /// Receives the audio packets met while reading, for copying.
    var audioPacketHandler: ((Packet) -> Void)? { get set }
    /// Decodes the next frame into `output` (reusing its storage); false at the end.
    func read(into output: inout VideoFrame) throws -> Bool
}

/// Opens an input by what the path names: a folder of images, a printf pattern, or a file.
public enum MediaInput {
    public static func open(_ path: String, options: DecodeOptions = DecodeOptions()) throws -> FrameSource {
        if Paths.isDirectory(path) {
            return try ImageFolderSource(folder: path, options: options)
        }
        if ImageSequencePattern.isPattern(path) {
            return try ImageSequencePattern.open(path, options: options)
        }
        return try MovieDecoder(path: path, options: options)
    }
}
