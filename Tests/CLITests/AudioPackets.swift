import CFFmpeg
import FFmpegSupport
import Foundation
import MatteCore

/// The audio of a file as libavformat demuxes it, for comparing an output's sound with its source's.
enum AudioPackets {
    /// Payloads of every packet of the best audio stream, in file order.
    static func payloads(_ path: String) throws -> [[UInt8]] {
        var context: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_open_input(&context, path, nil, nil) >= 0 else { throw VMatteError.runtime("cannot open \(path)") }
        defer { avformat_close_input(&context) }
        avformat_find_stream_info(context, nil)
        let index = av_find_best_stream(context, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0)
        guard index >= 0 else { return [] }
        let packet = Packet()
        var payloads: [[UInt8]] = []
        while av_read_frame(context, packet.pointer) >= 0 {
            if packet.pointer.pointee.stream_index == index {
                payloads.append(Array(UnsafeBufferPointer(start: packet.pointer.pointee.data, count: Int(packet.pointer.pointee.size))))
            }
            av_packet_unref(packet.pointer)
        }
        return payloads
    }

    /// The codec of the best audio stream, nil without one.
    static func codecName(_ path: String) throws -> String? {
        var context: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_open_input(&context, path, nil, nil) >= 0 else { throw VMatteError.runtime("cannot open \(path)") }
        defer { avformat_close_input(&context) }
        avformat_find_stream_info(context, nil)
        let index = av_find_best_stream(context, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0)
        guard index >= 0 else { return nil }
        return String(cString: avcodec_get_name(context!.pointee.streams[Int(index)]!.pointee.codecpar.pointee.codec_id))
    }
}
