import ClosedForm
@testable import Engine
import Foundation
import MatteCore
import Testing

/// The fused network (closed-form matte as a fifth input, residual alpha head) against
/// PyTorch's forward pass of the same random network (`training/golden.py --fused`).
@Suite struct FusedParityTests {
    let tolerance: Float = 1e-4
    var weights: String { GoldenFiles.folder + "/fused_golden_weights.safetensors" }
    var tensors: String { GoldenFiles.folder + "/fused_golden_tensors.safetensors" }

    @Test func readsTheFusedDescription() throws {
        let network = try MattingNetwork(path: weights)
        #expect(network.description.inputs == ["rgb", "trimap", "closed_form"])
        #expect(network.description.inputChannels == 5 && network.description.closedFormChannel == 4)
        #expect(network.description.alphaHead == .closedFormResidual)
    }

    @Test(arguments: ConvolutionBackend.allCases) func everyStageMatchesPyTorch(backend: ConvolutionBackend) throws {
        let network = try MattingNetwork(path: weights)
        let golden = try SafeTensorsFile(path: tensors)
        let rgb = try GoldenFiles.image(golden, "rgb"), trimap = try GoldenFiles.image(golden, "trimap")
        let closedForm = try GoldenFiles.image(golden, "closed_form")
        let workspace = Workspace()
        let input = InputPreparation.networkInput(rgb: rgb, trimap: trimap, closedForm: closedForm, rows: 0..<rgb.height,
                                                  columns: 0..<rgb.width, model: network.description, workspace: workspace)
        #expect(input.channels == 5)
        #expect(GoldenFiles.maxDifference(input.data, try golden.floats("input")) <= 1e-6, "input")
        var seen: Set<String> = []
        _ = network.forward(input, workspace: workspace, backend: backend) { name, map in
            guard let expected = try? golden.floats(name), expected.count == map.count else {
                Issue.record("no golden tensor '\(name)' of \(map.count) values")
                return
            }
            seen.insert(name)
            let magnitude = expected.reduce(0) { max($0, abs($1)) }
            let difference = GoldenFiles.maxDifference(map.data, expected)
            #expect(difference <= tolerance * max(1, magnitude / 10), "\(name): max |Swift − PyTorch| = \(difference)")
        }
        #expect(seen.contains("alpha_residual") && seen.contains("raw_alpha") && seen.contains("refined_alpha"))
    }

    /// The engine with PyTorch's closed-form input, and with its own solver's.
    @Test(arguments: ConvolutionBackend.allCases) func finalMatteMatchesPyTorch(backend: ConvolutionBackend) throws {
        let network = try MattingNetwork(path: weights)
        let golden = try SafeTensorsFile(path: tensors)
        let rgb = try GoldenFiles.image(golden, "rgb"), trimap = try GoldenFiles.image(golden, "trimap")
        let expected = try golden.floats("final_alpha")
        let engine = MattingEngine(network: network, tiles: nil)
        engine.backend = backend
        engine.closedFormOverride = try GoldenFiles.image(golden, "closed_form")
        let given = try engine.matte(rgb: rgb, trimap: trimap)
        #expect(given.pixels.withUnsafeBufferPointer { GoldenFiles.maxDifference(UnsafeMutablePointer(mutating: $0.baseAddress!), expected) } <= tolerance)
        let solved = try MattingEngine(network: network, tiles: nil, closedFormTolerance: ClosedFormMatting.standardTolerance)
            .matte(rgb: rgb, trimap: trimap)
        let mean = zip(solved.pixels, expected).map { abs($0 - $1) }.reduce(0, +) / Float(expected.count)
        #expect(mean <= 1e-4, "mean |Swift (own closed-form) − PyTorch| = \(mean)")
    }

    @Test(arguments: ConvolutionBackend.allCases) func mirrorAveragedMatteMatchesPyTorch(backend: ConvolutionBackend) throws {
        let network = try MattingNetwork(path: weights)
        let golden = try SafeTensorsFile(path: tensors)
        let engine = MattingEngine(network: network, tiles: nil, averagesMirrored: true)
        engine.backend = backend
        engine.closedFormOverride = try GoldenFiles.image(golden, "closed_form")
        let alpha = try engine.matte(rgb: try GoldenFiles.image(golden, "rgb"), trimap: try GoldenFiles.image(golden, "trimap"))
        let expected = try golden.floats("final_alpha_mirror_average")
        #expect(alpha.pixels.withUnsafeBufferPointer { GoldenFiles.maxDifference(UnsafeMutablePointer(mutating: $0.baseAddress!), expected) } <= tolerance)
    }
}
