import CFFmpeg

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
