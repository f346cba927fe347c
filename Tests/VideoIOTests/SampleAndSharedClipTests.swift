import Decode
import Encode
import FFmpegSupport
import CFFmpeg
import Foundation
import MatteCore
import Testing

/// Real files: the bundled sample's audio through copy and re-encode, and the shared clips'
/// frame counts against ffprobe.
@Suite struct SampleAndSharedClipTests {
    static let sample = TestMedia.repositoryRoot + "/Samples/clip.mp4"

    /// Payloads of every packet of the first audio stream.
    static func audioPayloads(_ path: String) throws -> [[UInt8]] {
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

    static func codecName(_ path: String, type: AVMediaType) throws -> String? {
        var context: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_open_input(&context, path, nil, nil) >= 0 else { throw VMatteError.runtime("cannot open \(path)") }
        defer { avformat_close_input(&context) }
        avformat_find_stream_info(context, nil)
        let index = av_find_best_stream(context, type, -1, -1, nil, 0)
        guard index >= 0 else { return nil }
        return String(cString: avcodec_get_name(context!.pointee.streams[Int(index)]!.pointee.codecpar.pointee.codec_id))
    }

    /// Transcodes the sample the way the CLI does: frames and audio through one writer.
    static func transcodeSample(to path: String) throws -> ContainerWriter {
        let source = try MovieDecoder(path: sample)
        let plan = try OutputPlan.choose(for: path, content: nil)
        let writer = try OutputWriter.open(plan: plan, path: path, overwrite: true, inputs: [sample], width: source.info.width,
                                           height: source.info.height, frameRate: source.info.frameRate,
                                           timeBase: source.info.timeBase, audio: source.audio) as! ContainerWriter
        var pending: [Packet] = []
        source.audioPacketHandler = { pending.append($0) }
        var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
        while try source.read(into: &frame) {
            for packet in pending { try writer.writeAudio(packet) }
            pending.removeAll()
            let opaque = ImageTensor(width: frame.image.width, height: frame.image.height, channels: 1, fill: 1)
            try writer.write(OutputFrame(rgb: frame.image, alpha: opaque, index: frame.index, pts: frame.pts, timeBase: frame.timeBase))
        }
        for packet in pending { try writer.writeAudio(packet) }
        try writer.finish()
        return writer
    }

    @Test func audioIsCopiedBitIdenticalIntoMOV() throws {
        let folder = TestMedia.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/cut.mov"
        let writer = try Self.transcodeSample(to: path)
        #expect(writer.notes.isEmpty)
        let original = try Self.audioPayloads(Self.sample)
        #expect(!original.isEmpty)
        #expect(try Self.audioPayloads(path) == original)
        #expect(try TestMedia.decodeAll(path).count == 100)
    }

    @Test func audioIsReencodedWhereTheContainerRefusesIt() throws {
        let folder = TestMedia.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/cut.webm"
        let writer = try Self.transcodeSample(to: path)
        #expect(writer.notes.contains { $0.contains("re-encoded to opus") })
        #expect(try Self.codecName(path, type: AVMEDIA_TYPE_AUDIO) == "opus")
        #expect(try Self.audioPayloads(path).count > 150)
    }

    @Test func sharedClipsDecodeToTheFrameCountFFprobeReports() throws {
        let folder = TestMedia.sharedData + "/videos"
        guard FileManager.default.fileExists(atPath: folder) else {
            print("skipped: ../shared/data/videos is absent (a user's clone has no shared data)")
            return
        }
        guard let ffprobe = ["/usr/bin/ffprobe", "/usr/local/bin/ffprobe"].first(where: FileManager.default.isExecutableFile) else {
            Issue.record("ffprobe is not installed: .ci/run installs the ffmpeg package")
            return
        }
        let clips = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        #expect(clips.count >= 3)
        for clip in clips {
            let path = folder + "/" + clip
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: ffprobe)
            probe.arguments = ["-v", "error", "-select_streams", "v:0", "-count_frames",
                               "-show_entries", "stream=width,height,nb_read_frames", "-of", "csv=p=0", path]
            let pipe = Pipe()
            probe.standardOutput = pipe
            try probe.run()
            probe.waitUntilExit()
            let fields = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
            let source = try MovieDecoder(path: path)
            var frame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1))
            var count = 0
            while try source.read(into: &frame) {
                if count == 0 { #expect(frame.image.width == fields[0] && frame.image.height == fields[1], "size of \(clip)") }
                count += 1
            }
            #expect(fields.count == 3 && count == fields[2], "frames of \(clip): decoded \(count), ffprobe \(fields)")
        }
    }
}
