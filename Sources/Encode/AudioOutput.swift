import CFFmpeg
import Foundation
import FFmpegSupport
import MatteCore

/// An output file's audio stream fed from a source stream's packets: copied when the container
/// holds the source codec, re-encoded to the plan's fallback codec when not, or left out (with
/// a note) when the plan has no fallback.
final class AudioOutput {
    /// The stream in the output, nil when the audio is left out.
    private(set) var stream: UnsafeMutablePointer<AVStream>?
    /// What happened to the audio, for the user; nil when it was copied.
    private(set) var note: String?
    private let source: StreamParameters
    private var transcoder: AudioTranscoder?

    /// Adds the stream to `context`, before its header is written. `path` names the output in notes.
    init(source: StreamParameters, context: UnsafeMutablePointer<AVFormatContext>, fallbackCodec: String?, path: String) throws {
        self.source = source
        let codecID = source.codecParameters.pointee.codec_id
        if avformat_query_codec(context.pointee.oformat, codecID, FF_COMPLIANCE_NORMAL) == 1 {
            let stream = avformat_new_stream(context, nil)!
            avcodec_parameters_copy(stream.pointee.codecpar, source.codecParameters)
            stream.pointee.codecpar.pointee.codec_tag = 0
            stream.pointee.time_base = source.timeBase
            self.stream = stream
            return
        }
        guard let fallbackCodec else {
            note = "audio: \(source.codecName) cannot go into this container; the output has no audio"
            return
        }
        let globalHeader = context.pointee.oformat.pointee.flags & vm_fmt_globalheader() != 0
        let transcoder = try AudioTranscoder(source: source, encoderName: fallbackCodec, globalHeader: globalHeader)
        let stream = avformat_new_stream(context, nil)!
        avcodec_parameters_from_context(stream.pointee.codecpar, transcoder.codecContext)
        stream.pointee.time_base = transcoder.codecContext.pointee.time_base
        self.stream = stream
        self.transcoder = transcoder
        let name = String(cString: avcodec_get_name(transcoder.codecContext.pointee.codec_id))
        note = "audio: \(source.codecName) cannot go into '\((path as NSString).pathExtension)' files; re-encoded to \(name)"
    }

    /// Copies or re-encodes one source packet; `mux` writes each resulting packet (timed in the stream's time base).
    func write(_ packet: UnsafeMutablePointer<AVPacket>, mux: (UnsafeMutablePointer<AVPacket>, UnsafeMutablePointer<AVStream>) throws -> Void) throws {
        guard let stream else { return }
        if let transcoder {
            try transcoder.transcode(packet) { encoded in
                av_packet_rescale_ts(encoded, transcoder.codecContext.pointee.time_base, stream.pointee.time_base)
                try mux(encoded, stream)
            }
            return
        }
        let copy = Packet(referencing: packet)
        av_packet_rescale_ts(copy.pointer, source.timeBase, stream.pointee.time_base)
        copy.pointer.pointee.pos = -1
        try mux(copy.pointer, stream)
    }

    /// Drains a re-encoder at the end of the stream.
    func finish(mux: (UnsafeMutablePointer<AVPacket>, UnsafeMutablePointer<AVStream>) throws -> Void) throws {
        guard let transcoder, let stream else { return }
        try transcoder.transcode(nil) { encoded in
            av_packet_rescale_ts(encoded, transcoder.codecContext.pointee.time_base, stream.pointee.time_base)
            try mux(encoded, stream)
        }
    }
}
