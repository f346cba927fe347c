import CFFmpeg
import FFmpegSupport
import Foundation
import MatteCore

/// Writes each frame as a numbered PNG (8- or 16-bit; RGBA, RGB or grey) into a temporary
/// folder that becomes the output folder when the sequence is complete. Frame files are
/// numbered by the source frame index, so a range keeps its numbers.
public final class PNGSequenceWriter: FrameSink, @unchecked Sendable {
    public private(set) var notes: [String] = []
    private let output: AtomicOutput
    private let pattern: String
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var picture: UnsafeMutablePointer<AVFrame>?
    private let packet: UnsafeMutablePointer<AVPacket>
    private let quantizer: FrameQuantizer
    private var closed = false
    public private(set) var framesWritten = 0

    public init(plan: OutputPlan, output: AtomicOutput, width: Int, height: Int, threads: Int = 0) throws {
        guard case .pngSequence(_, let pattern) = plan.kind else { preconditionFailure("PNGSequenceWriter writes PNG sequences only") }
        self.output = output
        self.pattern = pattern
        packet = av_packet_alloc()
        let format = av_get_pix_fmt(plan.pixelFormat)
        quantizer = try FrameQuantizer(target: format, content: plan.content, width: width, height: height)
        guard let encoder = avcodec_find_encoder(AV_CODEC_ID_PNG) else {
            throw VMatteError.runtime("this FFmpeg build has no PNG encoder")
        }
        codec = avcodec_alloc_context3(encoder)
        codec!.pointee.width = Int32(width)
        codec!.pointee.height = Int32(height)
        codec!.pointee.pix_fmt = format
        codec!.pointee.time_base = AVRational(num: 1, den: 25)
        codec!.pointee.thread_count = Int32(threads)
        let status = avcodec_open2(codec, encoder, nil)
        guard status >= 0 else { throw LibAV.error(.runtime, "cannot open the PNG encoder", code: status) }
        picture = try FrameQuantizer.allocateFrame(format: format, width: width, height: height)
    }

    deinit {
        if !closed { abort() }
        av_frame_free(&picture)
        var packetPointer: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packetPointer)
        avcodec_free_context(&codec)
    }

    /// The file name of frame `index`.
    public func fileName(for index: Int) -> String {
        String(format: pattern.replacingOccurrences(of: #"%(0?\d*)d"#, with: "%$1ld", options: .regularExpression), index)
    }

    public func write(_ frame: OutputFrame) throws {
        if frame.alreadyWritten {
            framesWritten += 1
            return
        }
        guard let picture else { throw VMatteError.runtime("the output '\(output.finalPath)' is already closed") }
        av_frame_make_writable(picture)
        try quantizer.fill(picture, from: frame)
        picture.pointee.pts = Int64(frame.index)
        let status = avcodec_send_frame(codec, picture)
        guard status >= 0 else { throw LibAV.error(.runtime, "PNG encoding of frame \(frame.index) failed", code: status) }
        try writeFinishedFrames()
    }

    /// Writes every PNG the (frame-threaded) encoder has finished; its pts is the frame index.
    private func writeFinishedFrames() throws {
        while true {
            let status = avcodec_receive_packet(codec, packet)
            if status == LibAV.again || status == LibAV.eof { return }
            guard status >= 0 else { throw LibAV.error(.runtime, "PNG encoding failed", code: status) }
            defer { av_packet_unref(packet) }
            let index = Int(packet.pointee.pts)
            let path = (output.temporaryPath as NSString).appendingPathComponent(fileName(for: index))
            let data = Data(bytes: packet.pointee.data, count: Int(packet.pointee.size))
            do {
                // Written whole or not at all, so a killed run never leaves a truncated frame.
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw VMatteError.runtime("cannot write the frame '\(path)': \((error as NSError).localizedDescription)")
            }
            framesWritten += 1
        }
    }

    public func finish() throws {
        guard !closed else { return }
        do {
            avcodec_send_frame(codec, nil)
            try writeFinishedFrames()
            closed = true
            try output.commit()
        } catch {
            abort()
            throw error
        }
    }

    public func abort() {
        closed = true
        output.discard()
    }

    public func hasCompleteFrame(_ index: Int) -> Bool {
        guard output.isContinuation else { return false }
        let path = (output.temporaryPath as NSString).appendingPathComponent(fileName(for: index))
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        // A complete PNG ends with its IEND chunk.
        let end = (try? handle.seekToEnd()) ?? 0
        guard end >= 20, (try? handle.seek(toOffset: end - 12)) != nil, let tail = try? handle.read(upToCount: 12) else { return false }
        return Array(tail) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
    }

    public func suspend() -> Bool {
        guard !closed else { return true }
        avcodec_send_frame(codec, nil)
        try? writeFinishedFrames()
        closed = true
        return true
    }

    /// Where the sequence is being written until it is complete.
    public var resumeFolder: String? { output.temporaryPath }
}
