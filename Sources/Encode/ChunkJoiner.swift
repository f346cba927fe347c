import CFFmpeg
import Foundation
import FFmpegSupport
import MatteCore

/// Joins movie chunks that continue one another (`--frames a-b` outputs) into one file by
/// stream copy: no decoding, timestamps kept. Every check runs before anything is written.
public struct ChunkJoiner: Sendable {
    /// What a join wrote.
    public struct Summary: Codable, Sendable {
        public var inputs: [String]
        public var output: String
        public var container: String
        public var streams: [String]
        public var frames: Int
        public var audioPackets: Int
        /// Audio packets at the very time the previous chunk already covered, left out.
        public var droppedAudioPackets: Int
        public var firstFrameSeconds: Double
        public var lastFrameSeconds: Double
        public var notes: [String]
    }

    public let inputs: [String]
    public let outputPath: String
    private let chunks: [ChunkProbe]
    private let audio: JoinAudio?
    private let containerName: String

    /// Opens every chunk and checks they can be joined into `output`: at least two, the same
    /// streams and formats as the first, video that abuts in time order, a container the
    /// output's extension names (the chunks' own).
    public init(inputs: [String], output: String) throws {
        guard inputs.count >= 2 else {
            throw VMatteError.badInput("join needs at least two chunks, got \(inputs.count)\(inputs.first.map { ": '\($0)'" } ?? "")")
        }
        try self.init(segments: inputs, output: output, audio: nil)
    }

    /// Joins the video-only segments of one run (one or more), with `audio` muxed from the source clip.
    public init(segments inputs: [String], output: String, audio: JoinAudio?) throws {
        guard !inputs.isEmpty else { throw VMatteError.runtime("nothing to join into '\(output)'") }
        let probes = try inputs.map { try ChunkProbe(path: $0) }
        let first = probes[0]
        for probe in probes.dropFirst() {
            let kinds = probe.streams.map(\.kind), firstKinds = first.streams.map(\.kind)
            guard kinds == firstKinds else {
                throw VMatteError.badInput("'\(probe.path)' has \(Self.count(kinds)) but '\(first.path)' has \(Self.count(firstKinds)): chunks must have the same streams")
            }
            for (index, (stream, reference)) in zip(probe.streams, first.streams).enumerated() where stream.format != reference.format {
                throw VMatteError.badInput("'\(probe.path)' does not match '\(first.path)': its stream \(index) is \(stream.format), not \(reference.format)")
            }
        }
        for (previous, next) in zip(probes, probes.dropFirst()) {
            try Self.checkAbut(previous, next, frameDuration: first.frameDuration)
        }

        let extensions = Set(inputs.map { ($0 as NSString).pathExtension.lowercased() })
        let outputExtension = (output as NSString).pathExtension.lowercased()
        guard extensions == [outputExtension] else {
            let listed = extensions.sorted().map { "'.\($0)'" }.joined(separator: ", ")
            throw VMatteError.badInput("cannot join into '\(output)': the chunks are \(listed) files and the output must be one too")
        }
        guard let format = av_guess_format(nil, output, nil) else {
            throw VMatteError.badInput("cannot join into '\(output)': this FFmpeg build writes no container for '.\(outputExtension)' files")
        }
        self.inputs = inputs
        self.outputPath = output
        self.chunks = probes
        self.audio = audio
        self.containerName = String(cString: format.pointee.name)
    }

    private static func count(_ kinds: [String]) -> String {
        "\(kinds.count) stream\(kinds.count == 1 ? "" : "s") (\(kinds.joined(separator: ", ")))"
    }

    /// Each chunk's first frame must come one frame after the previous chunk's last, within half a frame.
    private static func checkAbut(_ previous: ChunkProbe, _ next: ChunkProbe, frameDuration: Double) throws {
        let expected = previous.lastVideoTime + frameDuration
        let offset = (next.firstVideoTime - expected) / frameDuration
        guard abs(offset) > 0.5 else { return }
        let size = abs(offset)
        let frames = abs(size - size.rounded()) < 0.01 ? String(Int(size.rounded())) : String(format: "%.2f", size)
        let plural = frames == "1" ? "frame" : "frames"
        let spans = "'\(previous.path)' holds \(previous.span), '\(next.path)' holds \(next.span)"
        if next.firstVideoTime <= previous.firstVideoTime {
            throw VMatteError.badInput("'\(previous.path)' and '\(next.path)' are out of order: \(spans); list the chunks in time order")
        }
        if offset > 0 {
            throw VMatteError.badInput("'\(previous.path)' and '\(next.path)' do not abut: a gap of \(frames) \(plural) between them (\(spans)); is a chunk missing?")
        }
        throw VMatteError.badInput("'\(previous.path)' and '\(next.path)' do not abut: they overlap by \(frames) \(plural) (\(spans))")
    }

    /// Copies every chunk's packets into `output` and renames it into place; on any failure
    /// the partial file is removed. `shouldStop` is polled between packets (Ctrl-C).
    public func write(to output: AtomicOutput, shouldStop: @escaping () -> Bool = { false }) throws -> Summary {
        do {
            let summary = try copyPackets(into: output, shouldStop: shouldStop)
            try output.commit()
            return summary
        } catch {
            output.discard()
            throw error
        }
    }

    /// The chunk's codec tag when the output container knows it for the same codec (ProRes
    /// 4444 is `ap4h` in MOV, and decoders read the tag), else 0 for the muxer to choose — as ffmpeg does.
    private static func tagToKeep(_ parameters: AVCodecParameters, in format: UnsafePointer<AVOutputFormat>) -> UInt32 {
        guard let tables = format.pointee.codec_tag else { return parameters.codec_tag }
        if av_codec_get_id(tables, parameters.codec_tag) == parameters.codec_id { return parameters.codec_tag }
        var other: UInt32 = 0
        return av_codec_get_tag2(tables, parameters.codec_id, &other) == 0 ? parameters.codec_tag : 0
    }

    private func copyPackets(into output: AtomicOutput, shouldStop: () -> Bool) throws -> Summary {
        var allocated: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_alloc_output_context2(&allocated, nil, containerName, output.temporaryPath) >= 0, let context = allocated else {
            throw VMatteError.runtime("this FFmpeg build cannot write \(containerName) files")
        }
        defer {
            if context.pointee.pb != nil { avio_closep(&context.pointee.pb) }
            avformat_free_context(context)
        }
        let first = chunks[0]
        for stream in first.streams {
            guard let created = avformat_new_stream(context, nil) else { throw VMatteError.runtime("out of memory adding a stream to '\(outputPath)'") }
            let codecpar = created.pointee.codecpar!
            avcodec_parameters_copy(codecpar, stream.parameters.codecParameters)
            codecpar.pointee.codec_tag = Self.tagToKeep(stream.parameters.codecParameters.pointee, in: context.pointee.oformat)
            created.pointee.time_base = stream.parameters.timeBase
            created.pointee.avg_frame_rate = stream.frameRate
            created.pointee.sample_aspect_ratio = stream.sampleAspectRatio
            if codecpar.pointee.codec_type == AVMEDIA_TYPE_VIDEO { codecpar.pointee.sample_aspect_ratio = stream.sampleAspectRatio }
        }
        let sourceAudio = try audio.flatMap { try SourceAudioFeed($0, context: context, outputPath: outputPath) }
        var status = avio_open(&context.pointee.pb, output.temporaryPath, AVIO_FLAG_WRITE)
        guard status >= 0 else { throw LibAV.error(.runtime, "cannot create '\(output.temporaryPath)'", code: status) }
        status = avformat_write_header(context, nil)
        guard status >= 0 else { throw LibAV.error(.runtime, "cannot start writing '\(outputPath)'", code: status) }

        var lastDTS = [Int64?](repeating: nil, count: first.streams.count)
        var frames = 0, audioPackets = 0, dropped = 0
        var notes: [String] = sourceAudio?.output.note.map { [$0] } ?? []
        let packet = Packet()
        let muxSourceAudio = { (packet: UnsafeMutablePointer<AVPacket>, stream: UnsafeMutablePointer<AVStream>) throws in
            packet.pointee.stream_index = stream.pointee.index
            let status = av_interleaved_write_frame(context, packet)
            guard status >= 0 else { throw LibAV.error(.runtime, "writing the audio of '\(self.outputPath)' failed", code: status) }
        }
        for chunk in chunks {
            let file = try DemuxedFile(path: chunk.path)
            var droppedHere = 0
            while true {
                if shouldStop() { throw VMatteError.runtime("interrupted: stopped before the end, and the partial output was removed") }
                status = av_read_frame(file.context, packet.pointer)
                if status == LibAV.eof { break }
                guard status >= 0 else { throw LibAV.error(.runtime, "reading '\(chunk.path)' failed", code: status) }
                defer { av_packet_unref(packet.pointer) }
                let index = Int(packet.pointer.pointee.stream_index)
                guard index < first.streams.count, let target = context.pointee.streams[index] else { continue }
                let source = file.context.pointee.streams[index]!
                av_packet_rescale_ts(packet.pointer, source.pointee.time_base, target.pointee.time_base)
                packet.pointer.pointee.stream_index = Int32(index)
                packet.pointer.pointee.pos = -1
                let dts = packet.pointer.pointee.dts == LibAV.noPTS ? packet.pointer.pointee.pts : packet.pointer.pointee.dts
                if index == chunk.videoIndex {
                    frames += 1
                    if let sourceAudio, dts != LibAV.noPTS {
                        try sourceAudio.write(before: Double(dts) * av_q2d(target.pointee.time_base), mux: muxSourceAudio)
                    }
                } else {
                    // A chunk's audio runs to the end of its last frame inclusive, so the packet at
                    // that instant can also open the next chunk: keep the first copy only.
                    if dts != LibAV.noPTS, let last = lastDTS[index], dts <= last {
                        droppedHere += 1
                        continue
                    }
                    if first.streams[index].kind == "audio" { audioPackets += 1 }
                }
                if dts != LibAV.noPTS { lastDTS[index] = dts }
                status = av_interleaved_write_frame(context, packet.pointer)
                guard status >= 0 else { throw LibAV.error(.runtime, "writing '\(outputPath)' from '\(chunk.path)' failed", code: status) }
            }
            if droppedHere > 0 {
                notes.append("\(droppedHere) audio packet\(droppedHere == 1 ? "" : "s") at the start of '\(chunk.path)' overlapped the end of the previous chunk and \(droppedHere == 1 ? "was" : "were") left out")
            }
            dropped += droppedHere
        }
        if let sourceAudio {
            try sourceAudio.write(before: .infinity, mux: muxSourceAudio)
            try sourceAudio.output.finish(mux: muxSourceAudio)
            audioPackets += sourceAudio.packetsRead
        }
        status = av_write_trailer(context)
        guard status >= 0 else { throw LibAV.error(.runtime, "finishing '\(outputPath)' failed", code: status) }
        status = avio_closep(&context.pointee.pb)
        guard status >= 0 else { throw LibAV.error(.runtime, "closing '\(outputPath)' failed", code: status) }
        return Summary(inputs: inputs, output: output.finalPath, container: containerName,
                       streams: first.streams.map(\.format), frames: frames, audioPackets: audioPackets,
                       droppedAudioPackets: dropped, firstFrameSeconds: first.firstVideoTime,
                       lastFrameSeconds: chunks[chunks.count - 1].lastVideoTime, notes: notes)
    }
}

/// One chunk's streams, and the times of its first and last video frames (from a pass over its packets).
private struct ChunkProbe: @unchecked Sendable {
    struct Stream {
        var kind: String
        /// What must match across chunks: codec and picture or sound format.
        var format: String
        var parameters: StreamParameters
        var frameRate: AVRational
        var sampleAspectRatio: AVRational
    }

    let path: String
    let streams: [Stream]
    let videoIndex: Int
    let frameDuration: Double
    let firstVideoTime: Double
    let lastVideoTime: Double
    let videoPackets: Int

    init(path: String) throws {
        self.path = path
        let file = try DemuxedFile(path: path)
        let context = file.context
        var streams: [Stream] = []
        var videoIndex: Int?
        for index in 0..<Int(context.pointee.nb_streams) {
            let stream = context.pointee.streams[index]!
            let parameters = stream.pointee.codecpar.pointee
            let kind = av_get_media_type_string(parameters.codec_type).map { String(cString: $0) } ?? "unknown"
            var format = String(cString: avcodec_get_name(parameters.codec_id))
            if parameters.codec_type == AVMEDIA_TYPE_VIDEO {
                let pixels = av_get_pix_fmt_name(AVPixelFormat(rawValue: parameters.format)).map { String(cString: $0) } ?? "unknown pixels"
                format += " \(parameters.width)x\(parameters.height) \(pixels)"
                if videoIndex == nil { videoIndex = index }
            } else if parameters.codec_type == AVMEDIA_TYPE_AUDIO {
                let channels = parameters.ch_layout.nb_channels
                format += " \(parameters.sample_rate) Hz \(channels) channel\(channels == 1 ? "" : "s")"
            }
            var rate = stream.pointee.avg_frame_rate
            if rate.num <= 0 || rate.den <= 0 { rate = stream.pointee.r_frame_rate }
            streams.append(Stream(kind: kind, format: format,
                                  parameters: StreamParameters(copying: stream.pointee.codecpar, timeBase: stream.pointee.time_base),
                                  frameRate: rate, sampleAspectRatio: stream.pointee.sample_aspect_ratio))
        }
        guard let videoIndex else { throw VMatteError.badInput("the chunk '\(path)' has no video stream") }
        let rate = streams[videoIndex].frameRate
        guard rate.num > 0, rate.den > 0 else { throw VMatteError.badInput("the chunk '\(path)' has no frame rate") }
        self.streams = streams
        self.videoIndex = videoIndex
        frameDuration = Double(rate.den) / Double(rate.num)

        // Only the video's packets are read; their headers give the times.
        for index in 0..<Int(context.pointee.nb_streams) where index != videoIndex {
            context.pointee.streams[index]!.pointee.discard = AVDISCARD_ALL
        }
        let timeBase = av_q2d(context.pointee.streams[videoIndex]!.pointee.time_base)
        let packet = Packet()
        var first = Int64.max, last = Int64.min, count = 0
        while true {
            let status = av_read_frame(context, packet.pointer)
            if status == LibAV.eof { break }
            guard status >= 0 else { throw LibAV.error(.badInput, "the chunk '\(path)' is damaged", code: status) }
            defer { av_packet_unref(packet.pointer) }
            guard Int(packet.pointer.pointee.stream_index) == videoIndex else { continue }
            let pts = packet.pointer.pointee.pts == LibAV.noPTS ? packet.pointer.pointee.dts : packet.pointer.pointee.pts
            guard pts != LibAV.noPTS else { continue }
            first = min(first, pts)
            last = max(last, pts)
            count += 1
        }
        guard count > 0 else { throw VMatteError.badInput("the chunk '\(path)' has no timed video frame") }
        firstVideoTime = Double(first) * timeBase
        lastVideoTime = Double(last) * timeBase
        videoPackets = count
    }

    /// "30 frames at 1.600–2.760 s", for messages.
    var span: String {
        String(format: "%d frame%@ at %.3f–%.3f s", videoPackets, videoPackets == 1 ? "" : "s", firstVideoTime, lastVideoTime)
    }
}
