import CFFmpeg
import MatteCore

/// Turns float planes into the integer pixels an encoder takes. Formats that PNG and FFV1
/// store are written directly (exact rounding); YUV formats go through a 16-bit planar
/// intermediate and swscale with BT.709 limited-range coefficients.
final class FrameQuantizer {
    private let target: AVPixelFormat
    private let content: OutputContent
    private let width: Int32
    private let height: Int32
    private var intermediate: UnsafeMutablePointer<AVFrame>?
    private var scaler: OpaquePointer?

    /// Pixel formats filled straight from floats.
    private static let direct: Set<Int32> = [
        AV_PIX_FMT_RGB24, AV_PIX_FMT_RGBA, AV_PIX_FMT_BGRA, AV_PIX_FMT_BGR0, AV_PIX_FMT_GRAY8, AV_PIX_FMT_GRAY16BE,
        AV_PIX_FMT_GRAY16LE, AV_PIX_FMT_RGBA64BE, AV_PIX_FMT_RGB48BE, AV_PIX_FMT_GBRP, AV_PIX_FMT_GBRAP,
    ].reduce(into: Set<Int32>()) { $0.insert($1.rawValue) }

    init(target: AVPixelFormat, content: OutputContent, width: Int, height: Int) throws {
        self.target = target
        self.content = content
        self.width = Int32(width)
        self.height = Int32(height)
        if !Self.direct.contains(target.rawValue) {
            let source: AVPixelFormat = content == .alphaOnly ? AV_PIX_FMT_GRAY16LE
                : (content == .cutout ? AV_PIX_FMT_GBRAP16LE : AV_PIX_FMT_GBRP16LE)
            intermediate = try Self.allocateFrame(format: source, width: width, height: height)
            let flags = Int32(SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT)
            scaler = sws_getContext(Int32(width), Int32(height), source, Int32(width), Int32(height), target, flags, nil, nil, nil)
            guard scaler != nil else {
                throw VMatteError.runtime("swscale cannot convert to \(String(cString: av_get_pix_fmt_name(target)))")
            }
            let bt709 = sws_getCoefficients(SWS_CS_ITU709)
            sws_setColorspaceDetails(scaler, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16)
        }
    }

    deinit {
        av_frame_free(&intermediate)
        sws_freeContext(scaler)
    }

    static func allocateFrame(format: AVPixelFormat, width: Int, height: Int) throws -> UnsafeMutablePointer<AVFrame> {
        guard let frame = av_frame_alloc() else { throw VMatteError.runtime("out of memory allocating a frame") }
        frame.pointee.format = format.rawValue
        frame.pointee.width = Int32(width)
        frame.pointee.height = Int32(height)
        guard av_frame_get_buffer(frame, 0) >= 0 else {
            var pointer: UnsafeMutablePointer<AVFrame>? = frame
            av_frame_free(&pointer)
            throw VMatteError.runtime("out of memory allocating a \(width)x\(height) frame")
        }
        // Zero the row padding too: SIMD code may read it, and what reused heap memory held
        // must not change how a frame is coded.
        withUnsafeBytes(of: frame.pointee.buf) { buffers in
            for buffer in buffers.bindMemory(to: UnsafeMutablePointer<AVBufferRef>?.self) {
                if let buffer { memset(buffer.pointee.data, 0, buffer.pointee.size) }
            }
        }
        return frame
    }

    /// Fills `frame` (already allocated in the target format, writable) from `source`.
    func fill(_ frame: UnsafeMutablePointer<AVFrame>, from source: OutputFrame) throws {
        try withPlanes(of: source) { planes in
            if let intermediate {
                av_frame_make_writable(intermediate)
                try write(planes, into: intermediate, format: AVPixelFormat(rawValue: intermediate.pointee.format))
                let rows = withFramePlanes(intermediate) { sourceData, sourceStrides in
                    withFramePlanes(frame) { targetData, targetStrides in
                        sws_scale(scaler, sourceData.map { UnsafePointer($0) }, sourceStrides, 0, height, targetData, targetStrides)
                    }
                }
                guard rows == height else { throw VMatteError.runtime("colour conversion for encoding failed") }
                if content == .cutout, let alpha = planes.last { writeAlphaPlane(alpha, into: frame) }
            } else {
                try write(planes, into: frame, format: target)
            }
        }
    }

    /// Calls `body` with the planes in output order: R, G, B (and A), or the single grey plane.
    private func withPlanes(of source: OutputFrame, _ body: ([UnsafeBufferPointer<Float>]) throws -> Void) throws {
        func checked(_ image: ImageTensor?, _ channels: Int, _ what: String) throws -> [Float] {
            guard let image else { throw VMatteError.runtime("frame \(source.index) has no \(what)") }
            guard image.width == Int(width), image.height == Int(height), image.channels == channels else {
                throw VMatteError.runtime("\(what) of frame \(source.index) is \(image.width)x\(image.height)x\(image.channels), the output \(width)x\(height)x\(channels)")
            }
            return image.pixels
        }
        let rgb = content == .alphaOnly ? [] : try checked(source.rgb, 3, "colour image")
        let alpha = content == .composite ? [] : try checked(source.alpha, 1, "matte")
        let count = Int(width * height)
        try rgb.withUnsafeBufferPointer { rgbPlanes in
            try alpha.withUnsafeBufferPointer { alphaPlane in
                var planes: [UnsafeBufferPointer<Float>] = []
                if !rgbPlanes.isEmpty {
                    for c in 0..<3 { planes.append(UnsafeBufferPointer(rebasing: rgbPlanes[(c * count)..<((c + 1) * count)])) }
                }
                if !alphaPlane.isEmpty { planes.append(alphaPlane) }
                try body(planes)
            }
        }
    }

    private func write(_ planes: [UnsafeBufferPointer<Float>], into frame: UnsafeMutablePointer<AVFrame>, format: AVPixelFormat) throws {
        let w = Int(width), h = Int(height)
        let data = withFramePlanes(frame) { pointers, strides in zip(pointers, strides).map { ($0, Int($1)) } }
        switch format {
        case AV_PIX_FMT_RGB24, AV_PIX_FMT_RGBA, AV_PIX_FMT_BGRA, AV_PIX_FMT_BGR0, AV_PIX_FMT_GRAY8:
            // Byte offset of R, G, B, A (or grey) within a pixel.
            let (step, offsets): (Int, [Int]) = switch format {
            case AV_PIX_FMT_RGB24: (3, [0, 1, 2])
            case AV_PIX_FMT_RGBA: (4, [0, 1, 2, 3])
            case AV_PIX_FMT_BGRA: (4, [2, 1, 0, 3])
            case AV_PIX_FMT_BGR0: (4, [2, 1, 0])
            default: (1, [0])
            }
            for y in 0..<h {
                let row = data[0].0! + y * data[0].1
                for (p, plane) in planes.enumerated() {
                    for x in 0..<w { row[x * step + offsets[p]] = Self.quantize8(plane[y * w + x]) }
                }
                if format == AV_PIX_FMT_BGR0 { for x in 0..<w { row[x * step + 3] = 255 } }
            }
        case AV_PIX_FMT_GRAY16BE, AV_PIX_FMT_RGBA64BE, AV_PIX_FMT_RGB48BE, AV_PIX_FMT_GRAY16LE:
            let step = planes.count
            let bigEndian = format != AV_PIX_FMT_GRAY16LE
            for y in 0..<h {
                let row = UnsafeMutableRawPointer(data[0].0! + y * data[0].1).assumingMemoryBound(to: UInt16.self)
                for (p, plane) in planes.enumerated() {
                    for x in 0..<w {
                        let value = Self.quantize16(plane[y * w + x])
                        row[x * step + p] = bigEndian ? value.bigEndian : value.littleEndian
                    }
                }
            }
        case AV_PIX_FMT_GBRP, AV_PIX_FMT_GBRAP:
            // libav's planar RGB keeps G, B, R (, A) in planes 0, 1, 2 (, 3).
            let order = [2, 0, 1, 3]
            for (p, plane) in planes.enumerated() {
                let (base, stride) = data[order[p]]
                for y in 0..<h { for x in 0..<w { base![y * stride + x] = Self.quantize8(plane[y * w + x]) } }
            }
        case AV_PIX_FMT_GBRP16LE, AV_PIX_FMT_GBRAP16LE:
            let order = [2, 0, 1, 3]
            for (p, plane) in planes.enumerated() {
                let (base, stride) = data[order[p]]
                for y in 0..<h {
                    let row = UnsafeMutableRawPointer(base! + y * stride).assumingMemoryBound(to: UInt16.self)
                    for x in 0..<w { row[x] = Self.quantize16(plane[y * w + x]).littleEndian }
                }
            }
        default:
            throw VMatteError.runtime("no direct conversion to \(String(cString: av_get_pix_fmt_name(format)))")
        }
    }

    /// Rounds the matte into a YUVA frame's alpha plane directly (swscale truncates it).
    private func writeAlphaPlane(_ alpha: UnsafeBufferPointer<Float>, into frame: UnsafeMutablePointer<AVFrame>) {
        guard let descriptor = av_pix_fmt_desc_get(target), descriptor.pointee.nb_components == 4 else { return }
        let depth = Int(descriptor.pointee.comp.3.depth)
        let plane = Int(descriptor.pointee.comp.3.plane)
        let w = Int(width), h = Int(height)
        let (base, stride) = withFramePlanes(frame) { pointers, strides in (pointers[plane]!, Int(strides[plane])) }
        let maximum = Float((1 << depth) - 1)
        for y in 0..<h {
            if depth > 8 {
                let row = UnsafeMutableRawPointer(base + y * stride).assumingMemoryBound(to: UInt16.self)
                for x in 0..<w {
                    let value = alpha[y * w + x]
                    row[x] = UInt16((value.isNaN ? 0 : min(max(value, 0), 1)) * maximum + 0.5).littleEndian
                }
            } else {
                let row = base + y * stride
                for x in 0..<w { row[x] = Self.quantize8(alpha[y * w + x]) }
            }
        }
    }

    @inline(__always) static func quantize8(_ value: Float) -> UInt8 {
        let clamped = value.isNaN ? 0 : min(max(value, 0), 1)
        return UInt8(clamped * 255 + 0.5)
    }

    @inline(__always) static func quantize16(_ value: Float) -> UInt16 {
        let clamped = value.isNaN ? 0 : min(max(value, 0), 1)
        return UInt16(clamped * 65535 + 0.5)
    }
}

/// Calls `body` with an AVFrame's eight plane pointers and strides as arrays.
func withFramePlanes<Result>(_ frame: UnsafeMutablePointer<AVFrame>,
                             _ body: ([UnsafeMutablePointer<UInt8>?], [Int32]) -> Result) -> Result {
    let pointers = withUnsafePointer(to: &frame.pointee.data) {
        $0.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { Array(UnsafeBufferPointer(start: $0, count: 8)) }
    }
    let strides = withUnsafePointer(to: &frame.pointee.linesize) {
        $0.withMemoryRebound(to: Int32.self, capacity: 8) { Array(UnsafeBufferPointer(start: $0, count: 8)) }
    }
    return body(pointers, strides)
}
