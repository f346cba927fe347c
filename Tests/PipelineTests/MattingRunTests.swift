import Decode
import Encode
import Foundation
import MatteCore
import Pipeline
import Testing
import Trimaps

/// A matting run over a clip, with a stand-in matting that takes the trimap as the matte.
@Suite struct MattingRunTests {
    final class TrimapAsMatte: AlphaMatting {
        var framesMatted = 0
        func matte(rgb: ImageTensor, trimap: ImageTensor) throws -> ImageTensor {
            framesMatted += 1
            return trimap
        }
    }

    @Test func exportedTrimapsKeepTheClipsTimingAndTheMattesFollowThePlan() throws {
        let clip = try PipelineTestClip(frameRate: 30)
        defer { clip.remove() }
        let info = try MediaInput.open(clip.path).info
        var key = ImageTensor(width: info.width, height: info.height, channels: 1, fill: TrimapValue.background)
        for y in 8..<16 { for x in 10..<22 { key[0, y, x] = TrimapValue.foreground } }
        let keys = [KeyTrimap(frameIndex: 0, path: "key.png", values: key)]
        let plan = TrimapPlan(keys: [0], shots: .single(frameCount: PipelineTestClip.frameCount), propagation: .dilate)
        var settings = JobSettings(output: clip.folder + "/mattes/")
        settings.quiet = true
        settings.threads = 1
        settings.alphaOnly = true
        let matting = TrimapAsMatte()
        let exportPath = clip.folder + "/trimaps.mkv"
        try MattingRun(job: VideoJob(command: "matte", input: clip.path, settings: settings, defaultContent: .cutout, interrupt: InterruptFlag()),
                       clip: info, plan: plan,
                       trimaps: PlannedTrimaps(plan: plan, keys: keys, bandRate: 1, bandCap: 4, motionMargin: 0, screenTrimap: nil),
                       matting: matting, stage: try CompositeStage(settings: CompositeSettings(), width: info.width, height: info.height),
                       threads: MattingThreads(threads: 1, quiet: true), preview: nil,
                       trimapExport: try MattingRun.trimapExport(to: exportPath, inputs: [clip.path], format: info.format, overwrite: false)).run()

        #expect(matting.framesMatted == PipelineTestClip.frameCount)
        let source = try MediaInput.open(clip.path), exported = try MediaInput.open(exportPath, options: DecodeOptions(planes: .matte))
        #expect(exported.info.frameRate == Rational(30, 1))
        let mattes = try MediaInput.open(clip.folder + "/mattes", options: DecodeOptions(planes: .matte))
        var sourceFrame = VideoFrame(image: ImageTensor(width: 0, height: 0, channels: 1)), trimapFrame = sourceFrame, matteFrame = sourceFrame
        var frames = 0
        while try source.read(into: &sourceFrame) {
            try #require(try exported.read(into: &trimapFrame) && mattes.read(into: &matteFrame))
            #expect(trimapFrame.seconds == sourceFrame.seconds, "frame \(frames)'s time in the exported trimaps")
            // The stand-in's matte is the frame's trimap: the key's own on the key frame, then its band grown.
            #expect(matteFrame.image == trimapFrame.image, "frame \(frames)")
            if frames == 0 { #expect(matteFrame.image == key) }
            frames += 1
        }
        #expect(frames == PipelineTestClip.frameCount)
    }
}
