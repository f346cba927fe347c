import CFFmpeg
import FFmpegSupport
import Foundation
import MatteCore

/// Writes one picture as a PNG file (8-bit RGB, or grey for one plane), under a temporary
/// name renamed only when the file is complete.
public enum PNGImageWriter {
    /// Checks that `path` can be written (its folder exists, it is no input, an existing file
    /// only with `overwrite`) without writing anything, so a run can fail before its work.
    public static func checkDestination(_ path: String, overwrite: Bool, inputs: [String]) throws {
        try AtomicOutput(finalPath: path, isFolder: false, overwrite: overwrite, inputs: inputs).discard()
    }

    public static func write(_ image: ImageTensor, to path: String, overwrite: Bool, inputs: [String]) throws {
        precondition(image.channels == 3 || image.channels == 1, "a PNG picture has one or three planes")
        let output = try AtomicOutput(finalPath: path, isFolder: false, overwrite: overwrite, inputs: inputs)
        do {
            try FileManager.default.removeItem(atPath: output.temporaryPath)
            try encode(image).write(to: URL(fileURLWithPath: output.temporaryPath))
            try output.commit()
        } catch let error as VMatteError {
            output.discard()
            throw error
        } catch {
            output.discard()
            throw VMatteError.runtime("cannot write '\(path)': \((error as NSError).localizedDescription)")
        }
    }

    /// The PNG file's bytes.
    static func encode(_ image: ImageTensor) throws -> Data {
        let grey = image.channels == 1
        let format = grey ? AV_PIX_FMT_GRAY8 : AV_PIX_FMT_RGB24
        guard let encoder = avcodec_find_encoder(AV_CODEC_ID_PNG) else { throw VMatteError.runtime("this FFmpeg build has no PNG encoder") }
        var codec = avcodec_alloc_context3(encoder)
        defer { avcodec_free_context(&codec) }
        codec!.pointee.width = Int32(image.width)
        codec!.pointee.height = Int32(image.height)
        codec!.pointee.pix_fmt = format
        codec!.pointee.time_base = AVRational(num: 1, den: 25)
        var status = avcodec_open2(codec, encoder, nil)
        guard status >= 0 else { throw LibAV.error(.runtime, "cannot open the PNG encoder", code: status) }
        var picture: UnsafeMutablePointer<AVFrame>? = try FrameQuantizer.allocateFrame(format: format, width: image.width, height: image.height)
        defer { av_frame_free(&picture) }
        let quantizer = try FrameQuantizer(target: format, content: grey ? .alphaOnly : .composite, width: image.width, height: image.height)
        try quantizer.fill(picture!, from: OutputFrame(rgb: grey ? nil : image, alpha: grey ? image : nil, index: 0, pts: 0, timeBase: Rational(1, 25)))
        picture!.pointee.pts = 0
        status = avcodec_send_frame(codec, picture)
        guard status >= 0 else { throw LibAV.error(.runtime, "PNG encoding failed", code: status) }
        avcodec_send_frame(codec, nil)
        var packet: UnsafeMutablePointer<AVPacket>? = av_packet_alloc()
        defer { av_packet_free(&packet) }
        status = avcodec_receive_packet(codec, packet)
        guard status >= 0 else { throw LibAV.error(.runtime, "PNG encoding failed", code: status) }
        return Data(bytes: packet!.pointee.data, count: Int(packet!.pointee.size))
    }
}
