import ClosedForm
@testable import Engine
import MatteCore
import Testing

/// The closed-form matte a fused model reads: the early-stopped solve that cross-validation
/// chose, from zero on every frame, so a frame's input never depends on the frames before it.
@Suite struct FusedClosedFormInputTests {
    let weights = GoldenFiles.folder + "/fused_golden_weights.safetensors"
    let tensors = GoldenFiles.folder + "/fused_golden_tensors.safetensors"

    @Test func eachFrameIsSolvedFromZeroAtTheEnginesTolerance() throws {
        let golden = try SafeTensorsFile(path: tensors)
        let rgb = try GoldenFiles.image(golden, "rgb"), trimap = try GoldenFiles.image(golden, "trimap")
        var other = rgb
        for i in other.pixels.indices { other.pixels[i] = 1 - other.pixels[i] }
        let engine = MattingEngine(network: try MattingNetwork(path: weights), tiles: nil)
        _ = try engine.matte(rgb: rgb, trimap: trimap)
        let first = try #require(engine.closedForm)
        _ = try engine.matte(rgb: other, trimap: trimap)
        _ = try engine.matte(rgb: rgb, trimap: trimap)
        #expect(try #require(engine.closedForm).pixels == first.pixels)

        let alone = ClosedFormMatting(relativeTolerance: MattingEngine.standardClosedFormTolerance, warmStarts: false)
        #expect(try alone.matte(rgb: rgb, trimap: trimap).pixels == first.pixels)
        let converged = try ClosedFormMatting().matte(rgb: rgb, trimap: trimap)
        #expect(converged.pixels != first.pixels, "the engine stops short of pymatting's tolerance")
    }
}
