import CFFmpeg

/// An owned AVPacket that may be handed from the decoding thread to the encoding thread.
public final class Packet: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<AVPacket>

    public init() {
        guard let packet = av_packet_alloc() else { fatalError("out of memory allocating an AVPacket") }
        pointer = packet
    }

    /// A new reference to the same payload (no copy of the data).
    public init(referencing source: UnsafePointer<AVPacket>) {
        guard let packet = av_packet_alloc() else { fatalError("out of memory allocating an AVPacket") }
        av_packet_ref(packet, source)
        pointer = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }
}

/// Owned codec parameters of a stream plus its time base: what a muxer needs to copy it.
public final class StreamParameters: @unchecked Sendable {
    public let codecParameters: UnsafeMutablePointer<AVCodecParameters>
    public let timeBase: AVRational

    public init(copying source: UnsafePointer<AVCodecParameters>, timeBase: AVRational) {
        guard let parameters = avcodec_parameters_alloc() else { fatalError("out of memory allocating codec parameters") }
        avcodec_parameters_copy(parameters, source)
        codecParameters = parameters
        self.timeBase = timeBase
    }

    deinit {
        var parameters: UnsafeMutablePointer<AVCodecParameters>? = codecParameters
        avcodec_parameters_free(&parameters)
    }

    public var codecName: String { String(cString: avcodec_get_name(codecParameters.pointee.codec_id)) }
}
