import CFFmpeg
import Foundation
import FFmpegSupport
import MatteCore

/// Encodes frames into one movie file (MOV, WebM, MP4, MKV) under a temporary name, video only:
/// `SegmentedMovieWriter` writes through it and adds the source's audio when it joins.
public final class ContainerWriter: FrameSink, @unchecked Sendable {
    public private(set) var notes: [String] = []
    private let output: AtomicOutput
    private let plan: OutputPlan
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private let videoStream: UnsafeMutablePointer<AVStream>
    private var picture: UnsafeMutablePointer<AVFrame>?
    private let packet: UnsafeMutablePointer<AVPacket>
    private let quantizer: FrameQuantizer
    private let frameDuration: Int64
    private var lastPTS: Int64?
    private var headerWritten = false
    private var closed = false
    public private(set) var framesWritten = 0

    /// Opens the output for frames of `format` (whose time base the frames' pts are given in).
    public init(plan: OutputPlan, output: AtomicOutput, format videoFormat: VideoFormat, threads: Int = 0) throws {
        let (width, height) = (videoFormat.width, videoFormat.height)
        let (frameRate, timeBase) = (videoFormat.frameRate, videoFormat.timeBase)
        guard case .movie(let container) = plan.kind else { preconditionFailure("ContainerWriter writes movie files only") }
        self.output = output
        self.plan = plan
        packet = av_packet_alloc()
        let path = output.finalPath
        let targetFormat = av_get_pix_fmt(plan.pixelFormat)
        quantizer = try FrameQuantizer(target: targetFormat, content: plan.content, width: width, height: height)

        var context: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_alloc_output_context2(&context, nil, container, output.temporaryPath) >= 0, let context else {
            throw VMatteError.runtime("this FFmpeg build cannot write \(container) files")
        }
        format = context
        guard let encoder = avcodec_find_encoder_by_name(plan.codec) else {
            throw VMatteError.runtime("cannot write '\(path)': this FFmpeg build has no \(plan.codec) encoder")
        }
        guard (width % 2 == 0 && height % 2 == 0) || !plan.pixelFormat.contains("420") else {
            throw VMatteError.badInput("cannot write '\(path)': \(plan.codec) with \(plan.pixelFormat) needs even picture sizes, the video is \(width)x\(height)")
        }
        videoStream = avformat_new_stream(context, nil)
        codec = avcodec_alloc_context3(encoder)
        let codecContext = codec!
        codecContext.pointee.width = Int32(width)
        codecContext.pointee.height = Int32(height)
        codecContext.pointee.pix_fmt = targetFormat
        codecContext.pointee.time_base = AVRational(num: timeBase.numerator, den: timeBase.denominator)
        codecContext.pointee.framerate = AVRational(num: frameRate.numerator, den: frameRate.denominator)
        codecContext.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        codecContext.pointee.thread_count = Int32(threads)
        let isYUV = plan.pixelFormat.hasPrefix("yuv")
        codecContext.pointee.color_range = isYUV ? AVCOL_RANGE_MPEG : AVCOL_RANGE_JPEG
        if isYUV {
            codecContext.pointee.colorspace = AVCOL_SPC_BT709
            codecContext.pointee.color_primaries = AVCOL_PRI_BT709
            codecContext.pointee.color_trc = AVCOL_TRC_BT709
        }
        if context.pointee.oformat.pointee.flags & vm_fmt_globalheader() != 0 {
            codecContext.pointee.flags |= vm_codec_flag_global_header()
        }
        var options: OpaquePointer?
        for (key, value) in plan.codecOptions { av_dict_set(&options, key, value, 0) }
        var status = avcodec_open2(codecContext, encoder, &options)
        av_dict_free(&options)
        guard status >= 0 else { throw LibAV.error(.runtime, "cannot open the \(plan.codec) encoder for '\(path)'", code: status) }
        avcodec_parameters_from_context(videoStream.pointee.codecpar, codecContext)
        videoStream.pointee.time_base = codecContext.pointee.time_base
        videoStream.pointee.avg_frame_rate = codecContext.pointee.framerate
        // Packets need durations: MOV otherwise drops the last frame.
        let step = av_rescale_q(1, av_inv_q(codecContext.pointee.framerate), codecContext.pointee.time_base)
        frameDuration = max(1, step)

        picture = try FrameQuantizer.allocateFrame(format: targetFormat, width: width, height: height)
        // Some encoders (prores_ks) store the frame's colour tags, not the context's.
        picture!.pointee.color_range = codecContext.pointee.color_range
        picture!.pointee.colorspace = codecContext.pointee.colorspace
        picture!.pointee.color_primaries = codecContext.pointee.color_primaries
        picture!.pointee.color_trc = codecContext.pointee.color_trc
        status = avio_open(&context.pointee.pb, output.temporaryPath, AVIO_FLAG_WRITE)
        guard status >= 0 else { throw LibAV.error(.runtime, "cannot create '\(output.temporaryPath)'", code: status) }
        status = avformat_write_header(context, nil)
        guard status >= 0 else { throw LibAV.error(.runtime, "cannot start writing '\(path)'", code: status) }
        headerWritten = true
    }

    deinit {
        if !closed { abort() }
        av_frame_free(&picture)
        var packetPointer: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packetPointer)
        avcodec_free_context(&codec)
        avformat_free_context(format)
    }

    public func write(_ frame: OutputFrame) throws {
        guard let picture else { throw VMatteError.runtime("the output '\(output.finalPath)' is already closed") }
        av_frame_make_writable(picture)
        try quantizer.fill(picture, from: frame)
        var pts = av_rescale_q(frame.pts, AVRational(num: frame.timeBase.numerator, den: frame.timeBase.denominator),
                               codec!.pointee.time_base)
        if let lastPTS, pts <= lastPTS { pts = lastPTS + 1 }
        lastPTS = pts
        picture.pointee.pts = pts
        let status = avcodec_send_frame(codec, picture)
        guard status >= 0 else { throw LibAV.error(.runtime, "encoding frame \(frame.index) for '\(output.finalPath)' failed", code: status) }
        try drainVideo()
        framesWritten += 1
    }

    private func drainVideo() throws {
        while true {
            let status = avcodec_receive_packet(codec, packet)
            if status == LibAV.again || status == LibAV.eof { return }
            guard status >= 0 else { throw LibAV.error(.runtime, "encoding for '\(output.finalPath)' failed", code: status) }
            if packet.pointee.duration <= 0 { packet.pointee.duration = frameDuration }
            av_packet_rescale_ts(packet, codec!.pointee.time_base, videoStream.pointee.time_base)
            try mux(packet, videoStream)
        }
    }

    private func mux(_ packet: UnsafeMutablePointer<AVPacket>, _ stream: UnsafeMutablePointer<AVStream>) throws {
        packet.pointee.stream_index = stream.pointee.index
        let status = av_interleaved_write_frame(format, packet)
        guard status >= 0 else { throw LibAV.error(.runtime, "writing '\(output.finalPath)' failed", code: status) }
    }

    public func finish() throws {
        guard !closed else { return }
        do {
            avcodec_send_frame(codec, nil)
            try drainVideo()
            let status = av_write_trailer(format)
            guard status >= 0 else { throw LibAV.error(.runtime, "finishing '\(output.finalPath)' failed", code: status) }
            let closeStatus = avio_closep(&format!.pointee.pb)
            guard closeStatus >= 0 else { throw LibAV.error(.runtime, "closing '\(output.finalPath)' failed", code: closeStatus) }
            closed = true
            try output.commit()
        } catch {
            abort()
            throw error
        }
    }

    public func abort() {
        if let format, format.pointee.pb != nil { avio_closep(&format.pointee.pb) }
        closed = true
        output.discard()
    }
}
