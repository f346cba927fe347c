import CFFmpeg
import FFmpegSupport
import MatteCore

/// Re-encodes an audio stream whose codec the output container cannot hold (e.g. PCM into
/// WebM, or Opus into MOV): decode, resample to what the encoder takes, re-chunk to its frame
/// size, encode.
final class AudioTranscoder {
    let codecContext: UnsafeMutablePointer<AVCodecContext>
    private var decoder: UnsafeMutablePointer<AVCodecContext>?
    private var encoder: UnsafeMutablePointer<AVCodecContext>?
    private var resampler: OpaquePointer?
    private var fifo: OpaquePointer?
    private let decoded: UnsafeMutablePointer<AVFrame>
    private let chunk: UnsafeMutablePointer<AVFrame>
    private let encodedPacket: UnsafeMutablePointer<AVPacket>
    private let inputTimeBase: AVRational
    private var nextPTS: Int64?

    /// Opens a decoder for `source` and the encoder `encoderName`; `globalHeader` when the muxer asks for one.
    init(source: StreamParameters, encoderName: String, globalHeader: Bool) throws {
        inputTimeBase = source.timeBase
        guard let decoderCodec = avcodec_find_decoder(source.codecParameters.pointee.codec_id) else {
            throw VMatteError.runtime("cannot decode the input's \(source.codecName) audio to re-encode it")
        }
        guard let encoderCodec = avcodec_find_encoder_by_name(encoderName) else {
            throw VMatteError.runtime("this FFmpeg build has no \(encoderName) encoder for the audio")
        }
        decoder = avcodec_alloc_context3(decoderCodec)
        avcodec_parameters_to_context(decoder, source.codecParameters)
        decoder!.pointee.pkt_timebase = source.timeBase
        var status = avcodec_open2(decoder, decoderCodec, nil)
        guard status >= 0 else { throw LibAV.error(.runtime, "cannot open the \(source.codecName) audio decoder", code: status) }

        encoder = avcodec_alloc_context3(encoderCodec)
        codecContext = encoder!
        let input = decoder!.pointee
        // Opus runs at 48 kHz only; others keep the source rate when they support it.
        let sampleRate = Self.supportedRate(encoderCodec, preferred: input.sample_rate)
        codecContext.pointee.sample_rate = sampleRate
        codecContext.pointee.sample_fmt = encoderCodec.pointee.sample_fmts?.pointee ?? AV_SAMPLE_FMT_FLTP
        var layout = input.ch_layout
        if layout.nb_channels > 2 || layout.nb_channels < 1 { av_channel_layout_default(&layout, 2) }
        av_channel_layout_copy(&codecContext.pointee.ch_layout, &layout)
        codecContext.pointee.bit_rate = 64_000 * Int64(layout.nb_channels)
        codecContext.pointee.time_base = AVRational(num: 1, den: sampleRate)
        if globalHeader { codecContext.pointee.flags |= vm_codec_flag_global_header() }
        status = avcodec_open2(codecContext, encoderCodec, nil)
        guard status >= 0 else { throw LibAV.error(.runtime, "cannot open the \(encoderName) audio encoder", code: status) }

        var swr: OpaquePointer?
        var inputLayout = input.ch_layout
        status = swr_alloc_set_opts2(&swr, &codecContext.pointee.ch_layout, codecContext.pointee.sample_fmt, sampleRate,
                                     &inputLayout, input.sample_fmt, input.sample_rate, 0, nil)
        guard status >= 0, swr_init(swr) >= 0 else { throw VMatteError.runtime("cannot set up audio resampling") }
        resampler = swr
        fifo = av_audio_fifo_alloc(codecContext.pointee.sample_fmt, codecContext.pointee.ch_layout.nb_channels, 4096)
        decoded = av_frame_alloc()
        chunk = av_frame_alloc()
        encodedPacket = av_packet_alloc()
    }

    deinit {
        avcodec_free_context(&decoder)
        avcodec_free_context(&encoder)
        swr_free(&resampler)
        av_audio_fifo_free(fifo)
        var frame: UnsafeMutablePointer<AVFrame>? = decoded
        av_frame_free(&frame)
        frame = chunk
        av_frame_free(&frame)
        var packet: UnsafeMutablePointer<AVPacket>? = encodedPacket
        av_packet_free(&packet)
    }

    private static func supportedRate(_ codec: UnsafePointer<AVCodec>, preferred: Int32) -> Int32 {
        guard let rates = codec.pointee.supported_samplerates else { return preferred }
        var best: Int32 = 0
        var index = 0
        while rates[index] != 0 {
            if rates[index] == preferred { return preferred }
            if best == 0 || abs(rates[index] - preferred) < abs(best - preferred) { best = rates[index] }
            index += 1
        }
        return best == 0 ? preferred : best
    }

    /// Feeds one input packet (nil to flush) and hands every finished packet to `emit`,
    /// timestamped in the encoder's time base.
    func transcode(_ packet: UnsafeMutablePointer<AVPacket>?, emit: (UnsafeMutablePointer<AVPacket>) throws -> Void) throws {
        avcodec_send_packet(decoder, packet)
        while avcodec_receive_frame(decoder, decoded) == 0 {
            defer { av_frame_unref(decoded) }
            if nextPTS == nil, decoded.pointee.best_effort_timestamp != LibAV.noPTS {
                nextPTS = av_rescale_q(decoded.pointee.best_effort_timestamp, inputTimeBase, codecContext.pointee.time_base)
            }
            let capacity = swr_get_out_samples(resampler, decoded.pointee.nb_samples)
            try resample(input: decoded, capacity: capacity)
            try encodeFullChunks(flushing: false, emit: emit)
        }
        if packet == nil {
            try resample(input: nil, capacity: swr_get_out_samples(resampler, 0))
            try encodeFullChunks(flushing: true, emit: emit)
            avcodec_send_frame(encoder, nil)
            try drainEncoder(emit: emit)
        }
    }

    private func resample(input: UnsafeMutablePointer<AVFrame>?, capacity: Int32) throws {
        guard capacity > 0 else { return }
        var buffer: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?
        var lineSize: Int32 = 0
        let channels = codecContext.pointee.ch_layout.nb_channels
        guard av_samples_alloc_array_and_samples(&buffer, &lineSize, channels, capacity, codecContext.pointee.sample_fmt, 0) >= 0 else {
            throw VMatteError.runtime("out of memory resampling audio")
        }
        defer { av_freep(&buffer![0]); av_freep(&buffer) }
        let produced: Int32
        if let input {
            let planes = UnsafeMutableRawPointer(input.pointee.extended_data!).assumingMemoryBound(to: UnsafePointer<UInt8>?.self)
            produced = swr_convert(resampler, buffer, capacity, planes, input.pointee.nb_samples)
        } else {
            produced = swr_convert(resampler, buffer, capacity, nil, 0)
        }
        if produced > 0 {
            buffer!.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: Int(channels)) {
                _ = av_audio_fifo_write(fifo, $0, produced)
            }
        }
    }

    private func encodeFullChunks(flushing: Bool, emit: (UnsafeMutablePointer<AVPacket>) throws -> Void) throws {
        let frameSize = codecContext.pointee.frame_size > 0 ? codecContext.pointee.frame_size : 1024
        while av_audio_fifo_size(fifo) >= frameSize || (flushing && av_audio_fifo_size(fifo) > 0) {
            let count = min(frameSize, av_audio_fifo_size(fifo))
            av_frame_unref(chunk)
            chunk.pointee.nb_samples = count
            chunk.pointee.format = codecContext.pointee.sample_fmt.rawValue
            chunk.pointee.sample_rate = codecContext.pointee.sample_rate
            av_channel_layout_copy(&chunk.pointee.ch_layout, &codecContext.pointee.ch_layout)
            guard av_frame_get_buffer(chunk, 0) >= 0 else { throw VMatteError.runtime("out of memory encoding audio") }
            chunk.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 8) {
                _ = av_audio_fifo_read(fifo, $0, count)
            }
            chunk.pointee.pts = nextPTS ?? 0
            nextPTS = (nextPTS ?? 0) + Int64(count)
            let status = avcodec_send_frame(encoder, chunk)
            guard status >= 0 else { throw LibAV.error(.runtime, "audio encoding failed", code: status) }
            try drainEncoder(emit: emit)
        }
    }

    private func drainEncoder(emit: (UnsafeMutablePointer<AVPacket>) throws -> Void) throws {
        while avcodec_receive_packet(encoder, encodedPacket) == 0 {
            try emit(encodedPacket)
            av_packet_unref(encodedPacket)
        }
    }
}
