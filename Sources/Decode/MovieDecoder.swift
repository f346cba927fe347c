import CFFmpeg
import FFmpegSupport
import Foundation
import MatteCore

/// Reads the best video stream of anything libavformat opens (files, printf-pattern image
/// sequences), one frame at a time, into float planes. Use from one thread at a time.
public final class MovieDecoder: FrameSource, @unchecked Sendable {
    public private(set) var info: VideoStreamInfo
    /// The best audio stream beside the video, if the input has one (it is not demuxed here).
    public let audio: StreamParameters?

    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private let packet: UnsafeMutablePointer<AVPacket>
    private let frame: UnsafeMutablePointer<AVFrame>
    private let videoIndex: Int32
    private let converter: FloatPlaneConverter
    /// The coded picture of a frame that is turned for display.
    private var coded = ImageTensor(width: 0, height: 0, channels: 1)
    private let options: DecodeOptions
    private var decodedCount = 0
    private var draining = false
    private var finished = false
    private var lastPTS: Int64?
    private var corruptPackets = 0

    public init(path: String, options: DecodeOptions = DecodeOptions(), formatOptions: [String: String] = [:]) throws {
        self.options = options
        try InputChecks.requireReadable(path)

        var dictionary: OpaquePointer?
        for (key, value) in formatOptions { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        _ = LibAV.takeLastLogLine()
        var opened: UnsafeMutablePointer<AVFormatContext>?
        var status = avformat_open_input(&opened, path, nil, &dictionary)
        guard status >= 0, let format = opened else {
            throw LibAV.error(.badInput, "cannot open '\(path)' as video", code: status)
        }
        self.format = format
        packet = av_packet_alloc()
        frame = av_frame_alloc()
        converter = FloatPlaneConverter(planes: options.planes)

        status = avformat_find_stream_info(format, nil)
        guard status >= 0 else {
            var context: UnsafeMutablePointer<AVFormatContext>? = format
            avformat_close_input(&context)
            throw LibAV.error(.badInput, "cannot read the streams of '\(path)'", code: status)
        }
        var decoderPointer: UnsafePointer<AVCodec>?
        let best = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoderPointer, 0)
        var sideStreamAlpha = false
        if best >= 0, let alternative = Self.alphaDecoder(for: format.pointee.streams[Int(best)]!) {
            decoderPointer = alternative
            sideStreamAlpha = true
        }
        guard best >= 0, let decoder = decoderPointer else {
            var context: UnsafeMutablePointer<AVFormatContext>? = format
            avformat_close_input(&context)
            let reason = best == vm_averror_decoder_not_found() ? "its video codec is not supported by this FFmpeg build" : "it has no video stream"
            throw VMatteError.badInput("cannot decode '\(path)': \(reason)")
        }
        videoIndex = best
        let stream = format.pointee.streams[Int(best)]!
        let audioBest = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, best, nil, 0)
        if audioBest >= 0, let audioStream = format.pointee.streams[Int(audioBest)] {
            audio = StreamParameters(copying: audioStream.pointee.codecpar, timeBase: audioStream.pointee.time_base)
        } else {
            audio = nil
        }
        // Only the stream we read is demuxed in full.
        for index in 0..<Int(format.pointee.nb_streams) where Int32(index) != best {
            format.pointee.streams[index]!.pointee.discard = AVDISCARD_ALL
        }

        let context = avcodec_alloc_context3(decoder)!
        self.codec = context
        avcodec_parameters_to_context(context, stream.pointee.codecpar)
        context.pointee.thread_count = Int32(options.threads)
        context.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
        context.pointee.pkt_timebase = stream.pointee.time_base
        status = avcodec_open2(context, decoder, nil)
        guard status >= 0 else {
            throw LibAV.error(.badInput, "cannot open the \(String(cString: decoder.pointee.name)) decoder for '\(path)'", code: status)
        }

        let parameters = stream.pointee.codecpar.pointee
        var rate = stream.pointee.avg_frame_rate
        if rate.num <= 0 || rate.den <= 0 { rate = stream.pointee.r_frame_rate }
        if rate.num <= 0 || rate.den <= 0 {
            rate = AVRational(num: options.sequenceFrameRate.numerator, den: options.sequenceFrameRate.denominator)
        }
        var aspect = parameters.sample_aspect_ratio
        if aspect.num <= 0 || aspect.den <= 0 { aspect = AVRational(num: 1, den: 1) }
        let width = Int(parameters.width), height = Int(parameters.height)
        let displayWidth = Int((Double(width) * Double(aspect.num) / Double(aspect.den)).rounded())

        var duration: Double?
        if stream.pointee.duration > 0 {
            duration = Double(stream.pointee.duration) * av_q2d(stream.pointee.time_base)
        } else if format.pointee.duration > 0 {
            duration = Double(format.pointee.duration) / Double(AV_TIME_BASE)
        }
        let indexed = stream.pointee.nb_frames > 0
        let frameCount = indexed ? Int(stream.pointee.nb_frames)
            : duration.map { Int(($0 * av_q2d(rate)).rounded()) }
        let pixelFormat = AVPixelFormat(rawValue: parameters.format)
        let descriptor = av_pix_fmt_desc_get(pixelFormat)
        let formatName = av_get_pix_fmt_name(pixelFormat).map { String(cString: $0) } ?? "unknown"

        let matrixOrientation = DisplayOrientation(stream: stream)
        let orientation = options.autorotate ? matrixOrientation : .upright
        let shown = orientation.displayedSize(width: width, height: height)
        let shownWithAspect = orientation.displayedSize(width: displayWidth, height: height)
        info = VideoStreamInfo(
            path: path, width: shown.width, height: shown.height,
            displayWidth: shownWithAspect.width, displayHeight: shownWithAspect.height,
            frameRate: Rational(rate.num, rate.den),
            timeBase: Rational(stream.pointee.time_base.num, stream.pointee.time_base.den),
            frameCount: frameCount, frameCountIsExact: indexed, durationSeconds: duration,
            codecName: String(cString: decoder.pointee.name), pixelFormat: formatName,
            bitsPerComponent: Int(descriptor?.pointee.comp.0.depth ?? 8),
            hasAlpha: sideStreamAlpha || ((descriptor.map { $0.pointee.flags & UInt64(vm_pix_fmt_flag_alpha()) != 0 }) ?? false),
            colorRange: "", colorMatrix: "")
        info.orientation = orientation
        info.displayMatrixOrientation = matrixOrientation
        guard width > 0, height > 0 else {
            throw VMatteError.badInput("cannot decode '\(path)': its video stream has no picture size")
        }
    }

    /// WebM keeps VP8/VP9 alpha in a side stream that only libvpx's decoders read
    /// (the muxer tags such streams alpha_mode=1).
    private static func alphaDecoder(for stream: UnsafeMutablePointer<AVStream>) -> UnsafePointer<AVCodec>? {
        guard let tag = av_dict_get(stream.pointee.metadata, "alpha_mode", nil, 0),
              String(cString: tag.pointee.value) == "1" else { return nil }
        switch stream.pointee.codecpar.pointee.codec_id {
        case AV_CODEC_ID_VP9: return avcodec_find_decoder_by_name("libvpx-vp9")
        case AV_CODEC_ID_VP8: return avcodec_find_decoder_by_name("libvpx")
        default: return nil
        }
    }

    deinit {
        var packetPointer: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packetPointer)
        var framePointer: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&framePointer)
        avcodec_free_context(&codec)
        avformat_close_input(&format)
    }

    /// Decodes the next frame into `output`, reusing its storage; false at the end of the stream.
    public func read(into output: inout VideoFrame) throws -> Bool {
        while !finished {
            let received = avcodec_receive_frame(codec, frame)
            if received == 0 {
                defer { av_frame_unref(frame) }
                let index = decodedCount
                decodedCount += 1
                if let range = options.frameRange {
                    if range.isPast(index) { finished = true; return false }
                    if !range.contains(index) { continue }
                }
                try deliver(index: index, into: &output)
                return true
            }
            if received == LibAV.eof { finished = true; break }
            guard received == LibAV.again else {
                throw LibAV.error(.badInput, "'\(info.path)' is damaged: decoding frame \(decodedCount) failed", code: received)
            }
            try feedDecoder()
        }
        try checkComplete()
        return false
    }

    private func feedDecoder() throws {
        if draining {
            // Already flushed and still asked for input: the decoder is done.
            finished = true
            return
        }
        let status = av_read_frame(format, packet)
        if status < 0 {
            if status != LibAV.eof { corruptPackets += 1 }
            draining = true
            avcodec_send_packet(codec, nil)
            return
        }
        defer { av_packet_unref(packet) }
        if packet.pointee.stream_index == videoIndex {
            let sent = avcodec_send_packet(codec, packet)
            if sent < 0 && sent != LibAV.again {
                // Like ffmpeg, a damaged packet is skipped; a file made of nothing else fails below.
                corruptPackets += 1
                _ = LibAV.takeLastLogLine()
            }
        }
    }

    private func deliver(index: Int, into output: inout VideoFrame) throws {
        if info.orientation == .upright {
            try converter.convert(frame, into: &output.image)
        } else {
            try converter.convert(frame, into: &coded)
            info.orientation.apply(coded, into: &output.image)
        }
        if info.colorRange.isEmpty {
            info.colorRange = converter.colorRange
            info.colorMatrix = converter.colorMatrix
        }
        var pts = frame.pointee.best_effort_timestamp
        if pts == LibAV.noPTS {
            let step = av_rescale_q(1, av_inv_q(av_d2q(info.frameRate.doubleValue, 1 << 20)),
                                    AVRational(num: info.timeBase.numerator, den: info.timeBase.denominator))
            pts = (lastPTS ?? -step) + max(step, 1)
        }
        lastPTS = pts
        output.index = index
        output.pts = pts
        output.timeBase = info.timeBase
    }

    /// A file that ends before the frames its index promises is truncated, not short.
    private func checkComplete() throws {
        if decodedCount == 0 {
            throw VMatteError.badInput("'\(info.path)' holds no decodable video frame (the file is empty or damaged)")
        }
        if info.frameCountIsExact, let promised = info.frameCount, decodedCount < promised,
           options.frameRange.map({ !$0.isPast(promised - 1) }) ?? true {
            throw VMatteError.badInput(
                "'\(info.path)' ends after \(decodedCount) of the \(promised) frames its index lists: the file looks truncated or damaged")
        }
    }
}
