@testable import Engine
import Foundation
import MatteCore
import Testing

/// The Swift engine against PyTorch's forward pass of the same random network
/// (training/golden.py): every stage within 1e-4, on every convolution backend.
@Suite struct ParityTests {
    let tolerance: Float = 1e-4

    @Test(arguments: ConvolutionBackend.allCases) func everyStageMatchesPyTorch(backend: ConvolutionBackend) throws {
        let network = try MattingNetwork(path: GoldenFiles.weights)
        let golden = try SafeTensorsFile(path: GoldenFiles.tensors)
        let rgb = try GoldenFiles.image(golden, "rgb")
        let trimap = try GoldenFiles.image(golden, "trimap")
        let workspace = Workspace()

        // Input preparation: padding and normalisation.
        let input = InputPreparation.networkInput(rgb: rgb, trimap: trimap, rows: 0..<rgb.height, columns: 0..<rgb.width,
                                                  model: network.description, workspace: workspace)
        let expectedInput = try golden.floats("input")
        #expect(input.height == 96 && input.width == 96)
        #expect(GoldenFiles.maxDifference(input.data, expectedInput) <= 1e-6, "input")

        var seen: Set<String> = []
        _ = network.forward(input, workspace: workspace, backend: backend) { name, map in
            guard let expected = try? golden.floats(name) else {
                Issue.record("no golden tensor '\(name)'")
                return
            }
            seen.insert(name)
            #expect(expected.count == map.count, "size of \(name)")
            guard expected.count == map.count else { return }
            let difference = GoldenFiles.maxDifference(map.data, expected)
            // 1e-4 for activations up to 10; beyond, float32 sums of ~600 products in another
            // order differ in proportion (1e-5 relative): deconv1 reaches ~24 here.
            let magnitude = expected.reduce(0) { max($0, abs($1)) }
            let allowed = tolerance * max(1, magnitude / 10)
            #expect(difference <= allowed, "\(name): max |Swift − PyTorch| = \(difference), values up to \(magnitude)")
        }
        let stages = ["enc1", "enc2", "enc3", "enc4", "enc5", "pool1", "pool2", "pool3", "pool4", "pool5", "fc6", "deconv6",
                      "deconv5", "deconv4", "deconv3", "deconv2", "deconv1", "alpha_logits", "raw_alpha", "refine_residual", "refined_alpha"]
        #expect(seen == Set(stages))
        #expect(workspace.oneDNNProblem == nil)
        #expect((workspace.oneDNNChainCount > 0) == (backend == .oneDNN), "oneDNN chains built: \(workspace.oneDNNChainCount)")
    }

    @Test(arguments: ConvolutionBackend.allCases) func finalMatteMatchesPyTorchWholeFrame(backend: ConvolutionBackend) throws {
        let network = try MattingNetwork(path: GoldenFiles.weights)
        let golden = try SafeTensorsFile(path: GoldenFiles.tensors)
        let (engine, alpha) = try GoldenFiles.matte(network, golden, backend: backend)
        let expected = try golden.floats("final_alpha")
        #expect(alpha.width == 93 && alpha.height == 67)
        #expect(alpha.pixels.withUnsafeBufferPointer { GoldenFiles.maxDifference(UnsafeMutablePointer(mutating: $0.baseAddress!), expected) } <= tolerance)
        #expect(engine.tilesRun == 1)
    }

    @Test(arguments: ConvolutionBackend.allCases) func mirrorAveragedMatteMatchesPyTorch(backend: ConvolutionBackend) throws {
        let network = try MattingNetwork(path: GoldenFiles.weights)
        let golden = try SafeTensorsFile(path: GoldenFiles.tensors)
        let (engine, alpha) = try GoldenFiles.matte(network, golden, averagesMirrored: true, backend: backend)
        let expected = try golden.floats("final_alpha_mirror_average")
        #expect(alpha.pixels.withUnsafeBufferPointer { GoldenFiles.maxDifference(UnsafeMutablePointer(mutating: $0.baseAddress!), expected) } <= tolerance)
        #expect(engine.tilesRun == 1 && engine.pixelsRun == 2 * 96 * 96)
    }

    @Test func describesTheArchitectureFromMetadata() throws {
        let network = try MattingNetwork(path: GoldenFiles.weights)
        #expect(network.description.encoderWidths == [3, 6, 12, 24, 24])
        #expect(network.description.refineWidth == 5)
        #expect(network.description.fc6Kernel == 1)
        // training/flops.py's count for this network at 96x96 (--width 3 --refine-width 5 --fc6 1x1):
        // encoder 7,153,920 + fc6 10,368, decoder 5,702,400 + alpha 691,200, refinement 6,220,800.
        #expect(network.multiplyAdds(height: 96, width: 96) == 19_778_688)
    }
}
