import CFFmpeg
import Foundation
import FFmpegSupport
import MatteCore

/// Reads the source's audio packets in order and hands on those inside the window, up to a
/// given time, so they interleave with the video packets being copied.
final class SourceAudioFeed {
    let output: AudioOutput
    private let file: DemuxedFile
    private let streamIndex: Int32
    private let timeBase: Double
    private let window: Range<Double>?
    private let packet = Packet()
    private var pendingTime: Double?
    private var ended = false
    private(set) var packetsRead = 0

    /// Nil when the source has no audio stream. Adds the output stream to `context`.
    init?(_ audio: JoinAudio, context: UnsafeMutablePointer<AVFormatContext>, outputPath: String) throws {
        let file = try DemuxedFile(path: audio.sourcePath, role: "source clip")
        let video = av_find_best_stream(file.context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        let index = av_find_best_stream(file.context, AVMEDIA_TYPE_AUDIO, -1, video, nil, 0)
        guard index >= 0, let stream = file.context.pointee.streams[Int(index)] else { return nil }
        for other in 0..<Int(file.context.pointee.nb_streams) where other != Int(index) {
            file.context.pointee.streams[other]!.pointee.discard = AVDISCARD_ALL
        }
        let source = StreamParameters(copying: stream.pointee.codecpar, timeBase: stream.pointee.time_base)
        output = try AudioOutput(source: source, context: context, fallbackCodec: audio.fallbackCodec, path: outputPath)
        self.file = file
        streamIndex = index
        timeBase = av_q2d(stream.pointee.time_base)
        window = audio.window
    }

    /// Writes, through `mux`, every packet of the window that starts before `time` (seconds).
    func write(before time: Double, mux: (UnsafeMutablePointer<AVPacket>, UnsafeMutablePointer<AVStream>) throws -> Void) throws {
        while !ended {
            if pendingTime == nil {
                let status = av_read_frame(file.context, packet.pointer)
                if status == LibAV.eof {
                    ended = true
                    return
                }
                guard status >= 0 else { throw LibAV.error(.runtime, "reading the audio of the source clip failed", code: status) }
                guard packet.pointer.pointee.stream_index == streamIndex else {
                    av_packet_unref(packet.pointer)
                    continue
                }
                let stamp = packet.pointer.pointee.pts == LibAV.noPTS ? packet.pointer.pointee.dts : packet.pointer.pointee.pts
                pendingTime = stamp == LibAV.noPTS ? -Double.infinity : Double(stamp) * timeBase
            }
            guard let pending = pendingTime, pending < time else { return }
            if window?.contains(pending) ?? true {
                try output.write(packet.pointer, mux: mux)
                packetsRead += 1
            }
            av_packet_unref(packet.pointer)
            pendingTime = nil
        }
    }
}
