import CFFmpeg
import FFmpegSupport
import MatteCore

/// An input opened with libavformat, closed when released.
final class DemuxedFile {
    let context: UnsafeMutablePointer<AVFormatContext>

    /// `role` names the file in messages ("chunk").
    init(path: String, role: String = "chunk") throws {
        _ = LibAV.takeLastLogLine()
        var opened: UnsafeMutablePointer<AVFormatContext>?
        var status = avformat_open_input(&opened, path, nil, nil)
        guard status >= 0, let opened else { throw LibAV.error(.badInput, "cannot open the \(role) '\(path)'", code: status) }
        context = opened
        status = avformat_find_stream_info(opened, nil)
        guard status >= 0 else { throw LibAV.error(.badInput, "cannot read the streams of the \(role) '\(path)'", code: status) }
    }

    deinit {
        var pointer: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&pointer)
    }
}
