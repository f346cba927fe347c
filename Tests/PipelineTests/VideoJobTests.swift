import Decode
import Encode
import Foundation
import MatteCore
import Pipeline
import Testing

/// A job interrupted and resumed: the finished frames are replayed through `keep`, the others
/// processed once more, and the output is the one an uninterrupted job writes.
@Suite struct VideoJobTests {
    /// What one run of a job did.
    struct Run {
        var kept: [Int] = []
        var processed: [Int] = []
        var error: Error?
    }

    /// Runs `settings` on the clip, raising the interrupt once frame `interruptAt` is processed.
    func run(_ clip: PipelineTestClip, _ settings: JobSettings, interruptAt: Int? = nil) -> Run {
        var run = Run()
        let interrupt = InterruptFlag()
        let job = VideoJob(command: "test", input: clip.path, settings: settings, defaultContent: .composite, interrupt: interrupt)
        do {
            _ = try job.run(keep: { frame, _ in run.kept.append(frame.index) }) { frame, _ in
                run.processed.append(frame.index)
                if frame.index == interruptAt { interrupt.raise() }
                return OutputFrame(rgb: frame.image, alpha: nil, index: frame.index, pts: frame.pts, timeBase: frame.timeBase)
            }
        } catch {
            run.error = error
        }
        return run
    }

    func settings(_ output: String, resume: Bool = false, frames: String? = nil) -> JobSettings {
        var settings = JobSettings(output: output)
        settings.threads = 1
        settings.quiet = true
        settings.resume = resume
        settings.frames = frames
        settings.segmentFrames = 4
        return settings
    }

    func decoded(_ path: String) throws -> [VideoFrame] {
        var frames: [VideoFrame] = []
        try MediaInput.forEachFrame(of: path, options: DecodeOptions(planes: .rgb)) { frames.append($0) }
        return frames
    }

    /// Frame 4 is the last one written before the interrupt. Movies keep their closed segments
    /// of 4 frames, and the open one where frames are coded alone (ProRes; not FFV1, whose
    /// segment is dropped and redone).
    @Test(arguments: [("frames/", 5), ("cut.mov", 5), ("cut.mkv", 4)])
    func anInterruptedJobResumesWhereItStopped(output name: String, finished: Int) throws {
        let clip = try PipelineTestClip()
        defer { clip.remove() }
        let output = clip.folder + "/" + name, reference = clip.folder + "/reference-" + name
        #expect(run(clip, settings(reference)).error == nil)

        let interrupted = run(clip, settings(output), interruptAt: 4)
        let message = try #require(interrupted.error as? VMatteError).message
        #expect(message.contains("interrupted") && message.contains("--resume"))
        #expect(interrupted.processed == Array(0...4) && interrupted.kept.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: output), "no output before the job is done")

        // Another job's resume leaves the partial output as it was.
        let otherJob = run(clip, settings(output, resume: true, frames: "0-5"))
        #expect((otherJob.error as? VMatteError)?.message.contains("another job") == true)

        let resumed = run(clip, settings(output, resume: true))
        #expect(resumed.error == nil)
        #expect(resumed.kept == Array(0..<finished), "the frames the interrupted run finished are replayed, not made again")
        #expect(resumed.processed == Array(finished..<PipelineTestClip.frameCount))
        let frames = try decoded(output), expected = try decoded(reference)
        #expect(frames.count == PipelineTestClip.frameCount)
        #expect(frames.map(\.image) == expected.map(\.image) && frames.map(\.pts) == expected.map(\.pts))
    }

    @Test func withoutResumeAnInterruptedJobsLeftoversAreRefusedOrReplaced() throws {
        let clip = try PipelineTestClip()
        defer { clip.remove() }
        let output = clip.folder + "/cut.mkv"
        #expect(run(clip, settings(output), interruptAt: 2).error != nil)
        let refused = try #require(run(clip, settings(output)).error as? VMatteError)
        #expect(refused.kind == .badInput && refused.message.contains("--resume"))
        var overwrite = settings(output)
        overwrite.overwrite = true
        let restarted = run(clip, overwrite)
        #expect(restarted.error == nil && restarted.kept.isEmpty && restarted.processed == Array(0..<PipelineTestClip.frameCount))
    }

    @Test func theAudioWindowIsHalfOpenAndKeepsThePrimingOfTheFirstChunk() {
        let rate = Rational(25, 1)
        #expect(VideoJob.audioWindow(for: nil, frameRate: rate) == nil)
        #expect(VideoJob.audioWindow(for: FrameRange(first: 0, last: 9), frameRate: rate) == -Double.infinity..<0.4)
        #expect(VideoJob.audioWindow(for: FrameRange(first: 10, last: 19), frameRate: rate) == 0.4..<0.8)
        #expect(VideoJob.audioWindow(for: FrameRange(first: 10, last: nil), frameRate: rate) == 0.4..<Double.infinity)
    }
}
