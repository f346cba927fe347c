import Decode
import Foundation
import MatteCore
import Testing

/// The shared clips' frame counts and sizes against ffprobe.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: DecodeTestFiles.sharedVideos),
                "../shared/data/videos is absent (a user's clone has no shared data)"))
struct SharedClipDecodeTests {
    @Test func sharedClipsDecodeToTheFrameCountFFprobeReports() throws {
        let folder = DecodeTestFiles.sharedVideos
        guard let ffprobe = DecodeTestFiles.tool("ffprobe") else {
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
