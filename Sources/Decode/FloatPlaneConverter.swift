import CFFmpeg
import FFmpegSupport
import MatteCore

/// Converts decoded AVFrames to float planes through swscale, honouring the source's colour
/// range and matrix. Works in integer planes (8- or 16-bit, exact for RGB sources) and scales
/// to 0...1 itself, reusing its buffers from frame to frame.
final class FloatPlaneConverter {
    private var context: OpaquePointer?
    private var scratch: [UInt8] = []
    private var configured: (width: Int32, height: Int32, format: Int32, range: Int32, space: Int32)?
    private let planes: DecodedPlanes
    private(set) var colorRange = "pc"
    private(set) var colorMatrix = "rgb"

    init(planes: DecodedPlanes) {
        self.planes = planes
    }

    deinit { sws_freeContext(context) }

    /// Fills `image` (resized if needed) from `frame`.
    func convert(_ frame: UnsafeMutablePointer<AVFrame>, into image: inout ImageTensor) throws {
        let width = Int(frame.pointee.width), height = Int(frame.pointee.height)
        let source = AVPixelFormat(rawValue: frame.pointee.format)
        guard let descriptor = av_pix_fmt_desc_get(source) else {
            throw VMatteError.runtime("decoded frame has an unknown pixel format (\(frame.pointee.format))")
        }
        let isRGB = descriptor.pointee.flags & UInt64(vm_pix_fmt_flag_rgb()) != 0
        let hasAlpha = descriptor.pointee.flags & UInt64(vm_pix_fmt_flag_alpha()) != 0
        let deep = descriptor.pointee.comp.0.depth > 8
        let isGray = descriptor.pointee.nb_components <= 2 && !isRGB

        if planes == .matte && hasAlpha {
            try readAlpha(frame, descriptor: descriptor, into: &image)
            return
        }
        let target: AVPixelFormat
        let channelPlanes: [Int]  // which GBR(P) plane feeds each output channel
        switch planes {
        case .rgb:
            target = deep ? AV_PIX_FMT_GBRP16LE : AV_PIX_FMT_GBRP
            channelPlanes = [2, 0, 1]
        case .matte, .grey:
            target = deep ? AV_PIX_FMT_GRAY16LE : AV_PIX_FMT_GRAY8
            channelPlanes = [0]
        }
        try configure(frame: frame, source: source, target: target, isRGB: isRGB || isGray)

        let wide = deep
        let bytesPerSample = wide ? 2 : 1
        let planeBytes = width * height * bytesPerSample
        let planeCount = target == AV_PIX_FMT_GRAY8 || target == AV_PIX_FMT_GRAY16LE ? 1 : 3
        if scratch.count != planeBytes * planeCount { scratch = [UInt8](repeating: 0, count: planeBytes * planeCount) }
        image.reshape(width: width, height: height, channels: channelPlanes.count)

        try scratch.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var destinations: [UnsafeMutablePointer<UInt8>?] = (0..<4).map { $0 < planeCount ? base + $0 * planeBytes : nil }
            var strides: [Int32] = (0..<4).map { $0 < planeCount ? Int32(width * bytesPerSample) : 0 }
            let sourceData = withUnsafePointer(to: &frame.pointee.data) {
                $0.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { Array(UnsafeBufferPointer(start: $0, count: 8)) }
            }
            let sourceStrides = withUnsafePointer(to: &frame.pointee.linesize) {
                $0.withMemoryRebound(to: Int32.self, capacity: 8) { Array(UnsafeBufferPointer(start: $0, count: 8)) }
            }
            let rows = sws_scale(context, sourceData, sourceStrides, 0, Int32(height), &destinations, &strides)
            guard rows == Int32(height) else { throw VMatteError.runtime("colour conversion failed (swscale returned \(rows) rows)") }

            image.pixels.withUnsafeMutableBufferPointer { out in
                for (channel, plane) in channelPlanes.enumerated() {
                    let output = out.baseAddress! + channel * width * height
                    let input = base + plane * planeBytes
                    if wide {
                        let samples = UnsafeRawPointer(input).assumingMemoryBound(to: UInt16.self)
                        let scale: Float = 1 / 65535
                        for i in 0..<(width * height) { output[i] = Float(UInt16(littleEndian: samples[i])) * scale }
                    } else {
                        let scale: Float = 1 / 255
                        for i in 0..<(width * height) { output[i] = Float(input[i]) * scale }
                    }
                }
            }
        }
    }

    /// Copies the alpha component exactly, whatever the layout (no swscale: it rounds alpha loosely).
    private func readAlpha(_ frame: UnsafeMutablePointer<AVFrame>, descriptor: UnsafePointer<AVPixFmtDescriptor>,
                           into image: inout ImageTensor) throws {
        let width = Int(frame.pointee.width), height = Int(frame.pointee.height)
        image.reshape(width: width, height: height, channels: 1)
        let component = Int32(descriptor.pointee.nb_components) - 1
        let depth = withUnsafeBytes(of: descriptor.pointee.comp) {
            $0.bindMemory(to: AVComponentDescriptor.self)[Int(component)].depth
        }
        let scale = 1 / Float((1 << depth) - 1)
        var row = [UInt16](repeating: 0, count: width)
        var data = withUnsafePointer(to: &frame.pointee.data) {
            $0.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 4) { Array(UnsafeBufferPointer(start: $0, count: 4)) }
        }
        let strides = withUnsafePointer(to: &frame.pointee.linesize) {
            $0.withMemoryRebound(to: Int32.self, capacity: 4) { Array(UnsafeBufferPointer(start: $0, count: 4)) }
        }
        image.pixels.withUnsafeMutableBufferPointer { output in
            for y in 0..<height {
                av_read_image_line2(&row, &data, strides, descriptor, 0, Int32(y), component, Int32(width), 0, 2)
                for x in 0..<width { output[y * width + x] = Float(row[x]) * scale }
            }
        }
        colorRange = "pc"
        colorMatrix = "alpha"
    }

    private func configure(frame: UnsafeMutablePointer<AVFrame>, source: AVPixelFormat, target: AVPixelFormat, isRGB: Bool) throws {
        let key = (frame.pointee.width, frame.pointee.height, frame.pointee.format,
                   Int32(frame.pointee.color_range.rawValue), Int32(frame.pointee.colorspace.rawValue))
        if let configured, configured == key, context != nil { return }
        let flags = Int32(SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_FULL_CHR_H_INP | SWS_BITEXACT)
        context = sws_getCachedContext(context, key.0, key.1, source, key.0, key.1, target, flags, nil, nil, nil)
        guard context != nil else {
            throw VMatteError.runtime("swscale cannot convert \(String(cString: av_get_pix_fmt_name(source))) to planar RGB")
        }
        if !isRGB {
            // Unspecified matrices follow players' convention: BT.709 for HD, BT.601 below.
            var space = frame.pointee.colorspace
            if space == AVCOL_SPC_UNSPECIFIED || space == AVCOL_SPC_RESERVED || space.rawValue > AVCOL_SPC_BT2020_CL.rawValue {
                space = frame.pointee.height >= 720 ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M
            }
            // JPEG-style formats (yuvj*) are full range even when the frame says unspecified.
            let fullRange = frame.pointee.color_range == AVCOL_RANGE_JPEG
                || [AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P].contains(source)
            let coefficients = sws_getCoefficients(Int32(space.rawValue))
            sws_setColorspaceDetails(context, coefficients, fullRange ? 1 : 0, coefficients, 1, 0, 1 << 16, 1 << 16)
            colorRange = fullRange ? "pc" : "tv"
            colorMatrix = String(cString: av_color_space_name(space))
        } else {
            colorRange = "pc"
            colorMatrix = "rgb"
        }
        configured = key
    }
}
