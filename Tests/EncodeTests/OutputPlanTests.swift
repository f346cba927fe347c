import Encode
import MatteCore
import Testing

@Suite struct OutputPlanTests {
    @Test func extensionChoosesTheCodec() throws {
        #expect(try OutputPlan.choose(for: "a.mov", content: nil).codec == "prores_ks")
        #expect(try OutputPlan.choose(for: "a.mov", content: nil).pixelFormat == "yuva444p10le")
        #expect(try OutputPlan.choose(for: "a.mov", content: .alphaOnly).pixelFormat == "yuv444p10le")
        #expect(try OutputPlan.choose(for: "a.webm", content: nil).pixelFormat == "yuva420p")
        #expect(try OutputPlan.choose(for: "a.mp4", content: nil).content == .composite)
        #expect(try OutputPlan.choose(for: "frames/%06d.png", content: .alphaOnly, sixteenBit: true).pixelFormat == "gray16be")
        #expect(try OutputPlan.choose(for: "frames/", content: nil).kind == .pngSequence(folder: "frames", pattern: "%06d.png"))
        #expect(try OutputPlan.choose(for: ".build-x/out.v2/mattes", content: nil).kind == .pngSequence(folder: ".build-x/out.v2/mattes", pattern: "%06d.png"))
    }

    @Test func refusesWhatCannotWork() {
        #expect(throws: VMatteError.self) { try OutputPlan.choose(for: "a.mp4", content: .cutout) }
        #expect(throws: VMatteError.self) { try OutputPlan.choose(for: "a.avi", content: nil) }
        #expect(throws: VMatteError.self) { try OutputPlan.choose(for: "frame.png", content: nil) }
    }
}
