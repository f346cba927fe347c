import Decode
import Foundation
import MatteCore
import Metrics
import Testing

/// Video outputs are written in segments: a run killed or interrupted mid-way and continued
/// with --resume gives the same frames (and audio) as a run that was never stopped.
@Suite struct VideoResumeTests {
    let root = VMatteProcess.repositoryRoot
    var model: String { root + "/Tests/EngineTests/Golden/golden_weights.safetensors" }

    /// Names of the finished segments in an output's segment folder.
    func finishedSegments(of output: String) -> [String] {
        let folder = (output as NSString).deletingLastPathComponent + "/." + (output as NSString).lastPathComponent + ".vmatte-segments"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.range(of: #"^frames-\d{8}-\d{8}\."#, options: .regularExpression) != nil }
    }

    func expectSameMovie(_ a: String, _ b: String, planes: [DecodedPlanes], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for plane in planes {
            let first = try DecodedMovie(a, planes: plane), second = try DecodedMovie(b, planes: plane)
            #expect(first.frames.count == second.frames.count && !first.frames.isEmpty, sourceLocation: sourceLocation)
            #expect(first.frames.map(\.pts) == second.frames.map(\.pts), sourceLocation: sourceLocation)
            #expect(first.audio == second.audio, "audio packets", sourceLocation: sourceLocation)
            for (index, (x, y)) in zip(first.frames, second.frames).enumerated() {
                #expect(ImageErrors.maxAbsolute(x.image, y.image) == 0, "\(plane) of frame \(index)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func killedMovieMattingResumesToTheSameFrames() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let job = [root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps", "--model", model, "--frames", "0-19",
                   "--segment-frames", "4", "--threads", "1", "-q"]
        let reference = try VMatteProcess.run(job + ["-o", folder + "/reference.mov"])
        #expect(reference.status == 0, "stderr: \(reference.stderr)")

        let output = folder + "/mattes.mov"
        let killed = try VMatteProcess.run(job + ["-o", output], signalWhen: { finishedSegments(of: output).count >= 2 })
        #expect(killed.status != 0)
        #expect(!FileManager.default.fileExists(atPath: output))
        let kept = finishedSegments(of: output).count
        #expect(kept >= 2 && kept < 5)
        print("video resume: the killed run had finished \(kept) of 5 segments")

        let again = try VMatteProcess.run(job + ["-o", output])
        #expect(again.status == 2 && again.stderr.contains("--resume"), "a leftover segment folder needs --resume")
        let resumed = try VMatteProcess.run(job + ["-o", output, "--resume"])
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["mattes.mov", "reference.mov"])
        try expectSameMovie(output, folder + "/reference.mov", planes: [.rgb, .matte])
    }

    /// H.264 codes groups of pictures, so an interrupted segment is dropped and redone whole;
    /// the audio is muxed once, at the join, from the source.
    @Test func interruptedH264ResumesToTheSameFramesAndAudio() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let job = ["transcode", root + "/Samples/clip.mp4", "--alpha", root + "/Samples/gt-alpha.mkv", "--segment-frames", "10",
                   "--threads", "1"]
        let reference = try VMatteProcess.run(job + ["-o", folder + "/reference.mp4", "-q"])
        #expect(reference.status == 0, "stderr: \(reference.stderr)")

        let output = folder + "/shot.mp4"
        let interrupted = try VMatteProcess.run(job + ["-o", output], signalWhen: { finishedSegments(of: output).count >= 2 }, signal: SIGINT)
        #expect(interrupted.status == 1 && interrupted.stderr.contains("--resume"), "stderr: \(interrupted.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let segments = finishedSegments(of: output)
        #expect(segments.allSatisfy { name in
            let numbers = name.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            return numbers.count >= 2 && numbers[0] % 10 == 0 && (numbers[1] + 1) % 10 == 0
        }, "inter-frame segments are whole: \(segments)")

        let resumed = try VMatteProcess.run(job + ["-o", output, "--resume", "-q"])
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        try expectSameMovie(output, folder + "/reference.mp4", planes: [.rgb])
        #expect(try DecodedMovie(output, planes: .rgb).audioPackets > 0)
    }

    @Test func resumeWithNothingLeftStartsAfresh() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try VMatteProcess.run(["transcode", root + "/Samples/clip.mp4", "--frames", "0-9", "-o", folder + "/x.mov", "--resume", "-q"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try DecodedMovie(folder + "/x.mov", planes: .rgb).frames.count == 10)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["x.mov"])
    }

    @Test func anotherJobsSegmentsAreLeftAlone() throws {
        let folder = VMatteProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/x.mov"
        let first = try VMatteProcess.run(["transcode", root + "/Samples/clip.mp4", "--segment-frames", "5", "--threads", "1", "-o", output],
                                          signalWhen: { finishedSegments(of: output).count >= 1 }, signal: SIGINT)
        #expect(first.status == 1)
        let before = finishedSegments(of: output).sorted()
        let other = try VMatteProcess.run(["transcode", root + "/Samples/clip.mp4", "--frames", "0-3", "-o", output, "--resume"])
        #expect(other.status == 2 && other.stderr.contains("another job"), "stderr: \(other.stderr)")
        #expect(finishedSegments(of: output).sorted() == before && !before.isEmpty)
        // --overwrite without --resume starts over.
        let again = try VMatteProcess.run(["transcode", root + "/Samples/clip.mp4", "--frames", "0-3", "-o", output, "--overwrite", "-q"])
        #expect(again.status == 0, "stderr: \(again.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["x.mov"])
        #expect(try DecodedMovie(output, planes: .rgb).frames.count == 4)
    }
}
