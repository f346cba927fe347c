import ClosedForm
@testable import Engine
import Foundation
import MatteCore
import Testing

/// A closed-form refinement (format version 3: no encoder-decoder, the raw alpha is the
/// closed-form matte) against PyTorch's forward pass of the same random network
/// (`training/golden.py --refinement`).
@Suite struct RefinementParityTests {
    let tolerance: Float = 1e-4
    var weights: String { GoldenFiles.folder + "/refinement_golden_weights.safetensors" }
    var tensors: String { GoldenFiles.folder + "/refinement_golden_tensors.safetensors" }

    @Test func readsTheRefinementDescription() throws {
        let network = try MattingNetwork(path: weights)
        #expect(!network.description.hasEncoderDecoder && network.encoderDecoder == nil)
        #expect(network.description.alphaHead == .closedForm && network.description.usesClosedForm)
        #expect(network.description.inputChannels == 5)
        // Three 3×3 layers of 5 and the output, nothing else: (4·5 + 2·5·5 + 5)·9 a pixel.
        #expect(network.multiplyAdds(height: 64, width: 64) == (4 * 5 + 2 * 5 * 5 + 5) * 9 * 64 * 64)
    }

    @Test(arguments: ConvolutionBackend.allCases) func everyStageMatchesPyTorch(backend: ConvolutionBackend) throws {
        let network = try MattingNetwork(path: weights)
        let golden = try SafeTensorsFile(path: tensors)
        let rgb = try GoldenFiles.image(golden, "rgb"), trimap = try GoldenFiles.image(golden, "trimap")
        let workspace = Workspace()
        let input = InputPreparation.networkInput(rgb: rgb, trimap: trimap, closedForm: try GoldenFiles.image(golden, "closed_form"),
                                                  rows: 0..<rgb.height, columns: 0..<rgb.width, model: network.description, workspace: workspace)
        #expect(GoldenFiles.maxDifference(input.data, try golden.floats("input")) <= 1e-6, "input")
        var seen: Set<String> = []
        _ = network.forward(input, workspace: workspace, backend: backend) { name, map in
            guard let expected = try? golden.floats(name), expected.count == map.count else {
                Issue.record("no golden tensor '\(name)' of \(map.count) values")
                return
            }
            seen.insert(name)
            let difference = GoldenFiles.maxDifference(map.data, expected)
            #expect(difference <= tolerance, "\(name): max |Swift − PyTorch| = \(difference)")
        }
        #expect(seen == ["raw_alpha", "refine_residual", "refined_alpha"])
    }

    /// Through the engine, which refines the unknown band of the whole frame even when tiles are asked for.
    @Test(arguments: ConvolutionBackend.allCases) func finalMatteMatchesPyTorch(backend: ConvolutionBackend) throws {
        let network = try MattingNetwork(path: weights)
        let golden = try SafeTensorsFile(path: tensors)
        let rgb = try GoldenFiles.image(golden, "rgb"), trimap = try GoldenFiles.image(golden, "trimap")
        let engine = MattingEngine(network: network, tiles: TileSettings(size: 32, halo: 32))
        engine.backend = backend
        engine.closedFormOverride = try GoldenFiles.image(golden, "closed_form")
        let alpha = try engine.matte(rgb: rgb, trimap: trimap)
        #expect(engine.tilesRun == 1)
        let expected = try golden.floats("final_alpha")
        #expect(alpha.pixels.withUnsafeBufferPointer { GoldenFiles.maxDifference(UnsafeMutablePointer(mutating: $0.baseAddress!), expected) } <= tolerance)
    }

    @Test func mirrorAveragedMatteMatchesPyTorch() throws {
        let golden = try SafeTensorsFile(path: tensors)
        let engine = MattingEngine(network: try MattingNetwork(path: weights), tiles: nil, averagesMirrored: true)
        engine.closedFormOverride = try GoldenFiles.image(golden, "closed_form")
        let alpha = try engine.matte(rgb: try GoldenFiles.image(golden, "rgb"), trimap: try GoldenFiles.image(golden, "trimap"))
        let expected = try golden.floats("final_alpha_mirror_average")
        #expect(alpha.pixels.withUnsafeBufferPointer { GoldenFiles.maxDifference(UnsafeMutablePointer(mutating: $0.baseAddress!), expected) } <= tolerance)
    }
}
