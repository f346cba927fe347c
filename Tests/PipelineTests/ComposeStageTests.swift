import Decode
import Encode
import Foundation
import MatteCore
import Pipeline
import Testing

/// The pipeline's compose thread: it finishes every processed frame, in order, but not the
/// frames an interrupted run already wrote, and its failure fails the run without an output.
@Suite struct ComposeStageTests {
    /// The frame indices the compose thread saw.
    final class Composed: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [Int] = []
        func append(_ index: Int) { lock.withLock { stored.append(index) } }
        var indices: [Int] { lock.withLock { stored } }
    }

    func settings(_ output: String, resume: Bool = false) -> JobSettings {
        var settings = JobSettings(output: output)
        settings.threads = 1
        settings.quiet = true
        settings.resume = resume
        settings.segmentFrames = 4
        return settings
    }

    /// Runs the clip through a job whose compose stage inverts the picture.
    func run(_ clip: PipelineTestClip, _ settings: JobSettings, composed: Composed, failAt: Int? = nil,
             interruptAt: Int? = nil) -> Error? {
        let interrupt = InterruptFlag()
        let job = VideoJob(command: "test", input: clip.path, settings: settings, defaultContent: .composite, interrupt: interrupt)
        do {
            _ = try job.run(keep: { _, _ in }, compose: { @Sendable frame in
                composed.append(frame.index)
                if frame.index == failAt { throw VMatteError.runtime("compose failed at frame \(frame.index)") }
                var inverted = try #require(frame.rgb)
                for i in inverted.pixels.indices { inverted.pixels[i] = 1 - inverted.pixels[i] }
                return OutputFrame(rgb: inverted, alpha: nil, index: frame.index, pts: frame.pts, timeBase: frame.timeBase)
            }) { frame, _ in
                if frame.index == interruptAt { interrupt.raise() }
                return OutputFrame(rgb: frame.image, alpha: nil, index: frame.index, pts: frame.pts, timeBase: frame.timeBase)
            }
            return nil
        } catch {
            return error
        }
    }

    func decoded(_ path: String) throws -> [ImageTensor] {
        var frames: [ImageTensor] = []
        try MediaInput.forEachFrame(of: path, options: DecodeOptions(planes: .rgb)) { frames.append($0.image) }
        return frames
    }

    @Test func everyFrameIsComposedInOrder() throws {
        let clip = try PipelineTestClip()
        defer { clip.remove() }
        let composed = Composed()
        #expect(run(clip, settings(clip.folder + "/frames/"), composed: composed) == nil)
        #expect(composed.indices == Array(0..<PipelineTestClip.frameCount))
        let written = try decoded(clip.folder + "/frames/%06d.png"), source = try decoded(clip.path)
        #expect(written.count == source.count)
        for (out, original) in zip(written, source) {
            let largest = zip(out.pixels, original.pixels).map { abs($0 - (1 - $1)) }.max() ?? 1
            #expect(largest < 1e-2)
        }
    }

    @Test func aComposeFailureFailsTheRunWithoutAnOutput() throws {
        let clip = try PipelineTestClip()
        defer { clip.remove() }
        let output = clip.folder + "/cut.mkv"
        let error = run(clip, settings(output), composed: Composed(), failAt: 5)
        #expect((error as? VMatteError)?.message.contains("compose failed at frame 5") == true)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// Interrupted after frame 4, the ProRes movie keeps frames 0–4 (as in `VideoJobTests`).
    @Test func framesAnInterruptedRunWroteAreNotComposedAgain() throws {
        let clip = try PipelineTestClip()
        defer { clip.remove() }
        let output = clip.folder + "/cut.mov"
        let interrupted = Composed()
        #expect(run(clip, settings(output), composed: interrupted, interruptAt: 4) != nil)
        #expect(interrupted.indices == Array(0...4))
        let resumed = Composed()
        #expect(run(clip, settings(output, resume: true), composed: resumed) == nil)
        #expect(resumed.indices == Array(5..<PipelineTestClip.frameCount))
        #expect(try decoded(output).count == PipelineTestClip.frameCount)
    }
}
