import ClosedForm
@testable import Engine
import Foundation
import MatteCore
import Testing

/// Closed-form refinements (format version 3: no encoder-decoder, the raw alpha is the
/// closed-form matte; version 4: the refinement also reads a KNN matte) against PyTorch's
/// forward pass of the same random networks (`training/golden.py --refinement` and
/// `--knn-refinement`).
@Suite struct RefinementParityTests {
    let tolerance: Float = 1e-4

    /// The golden files of one network: its weights and its tensors.
    struct Golden: CustomTestStringConvertible, Sendable {
        let prefix: String
        let readsKNN: Bool
        var weights: String { GoldenFiles.folder + "/\(prefix)_weights.safetensors" }
        var tensors: String { GoldenFiles.folder + "/\(prefix)_tensors.safetensors" }
        var testDescription: String { prefix }

        /// The engine's input planes from the golden image.
        func input(_ golden: SafeTensorsFile, network: MattingNetwork, workspace: Workspace) throws -> FeatureMap {
            let rgb = try GoldenFiles.image(golden, "rgb")
            return InputPreparation.networkInput(rgb: rgb, trimap: try GoldenFiles.image(golden, "trimap"),
                                                 closedForm: try GoldenFiles.image(golden, "closed_form"),
                                                 knn: readsKNN ? try GoldenFiles.image(golden, "knn") : nil,
                                                 rows: 0..<rgb.height, columns: 0..<rgb.width, model: network.description, workspace: workspace)
        }
    }

    static let networks = [Golden(prefix: "refinement_golden", readsKNN: false), Golden(prefix: "knn_refinement_golden", readsKNN: true)]

    @Test(arguments: networks) func readsTheRefinementDescription(_ files: Golden) throws {
        let network = try MattingNetwork(path: files.weights)
        #expect(!network.description.hasEncoderDecoder && network.encoderDecoder == nil)
        #expect(network.description.alphaHead == .closedForm && network.description.usesClosedForm)
        #expect(network.description.usesKNN == files.readsKNN)
        #expect(network.description.inputChannels == (files.readsKNN ? 6 : 5))
        // Three 3×3 layers of 5 and the output, nothing else: (c·5 + 2·5·5 + 5)·9 a pixel, c the refinement's input planes.
        let planes = files.readsKNN ? 5 : 4
        #expect(network.multiplyAdds(height: 64, width: 64) == (planes * 5 + 2 * 5 * 5 + 5) * 9 * 64 * 64)
    }

    @Test(arguments: networks, ConvolutionBackend.allCases) func everyStageMatchesPyTorch(_ files: Golden, backend: ConvolutionBackend) throws {
        let network = try MattingNetwork(path: files.weights)
        let golden = try SafeTensorsFile(path: files.tensors)
        let workspace = Workspace()
        let input = try files.input(golden, network: network, workspace: workspace)
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
    @Test(arguments: networks, ConvolutionBackend.allCases) func finalMatteMatchesPyTorch(_ files: Golden, backend: ConvolutionBackend) throws {
        let network = try MattingNetwork(path: files.weights)
        let golden = try SafeTensorsFile(path: files.tensors)
        let rgb = try GoldenFiles.image(golden, "rgb"), trimap = try GoldenFiles.image(golden, "trimap")
        let engine = MattingEngine(network: network, tiles: TileSettings(size: 32, halo: 32))
        engine.backend = backend
        engine.closedFormOverride = try GoldenFiles.image(golden, "closed_form")
        if files.readsKNN { engine.knnOverride = try GoldenFiles.image(golden, "knn") }
        let alpha = try engine.matte(rgb: rgb, trimap: trimap)
        #expect(engine.tilesRun == 1)
        let expected = try golden.floats("final_alpha")
        #expect(alpha.pixels.withUnsafeBufferPointer { GoldenFiles.maxDifference(UnsafeMutablePointer(mutating: $0.baseAddress!), expected) } <= tolerance)
    }

    /// The engine's own KNN solve gives the matte PyTorch computed from knn_matting.py's.
    @Test func knnRefinementWithItsOwnSolveMatchesPyTorch() throws {
        let files = Self.networks[1]
        let golden = try SafeTensorsFile(path: files.tensors)
        let engine = MattingEngine(network: try MattingNetwork(path: files.weights), tiles: nil)
        engine.closedFormOverride = try GoldenFiles.image(golden, "closed_form")
        let alpha = try engine.matte(rgb: try GoldenFiles.image(golden, "rgb"), trimap: try GoldenFiles.image(golden, "trimap"))
        let expected = try golden.floats("final_alpha")
        #expect(alpha.pixels.withUnsafeBufferPointer { GoldenFiles.maxDifference(UnsafeMutablePointer(mutating: $0.baseAddress!), expected) } <= 1e-3)
    }

    @Test func mirrorAveragedMatteMatchesPyTorch() throws {
        let files = Self.networks[0]
        let golden = try SafeTensorsFile(path: files.tensors)
        let engine = MattingEngine(network: try MattingNetwork(path: files.weights), tiles: nil, averagesMirrored: true)
        engine.closedFormOverride = try GoldenFiles.image(golden, "closed_form")
        let alpha = try engine.matte(rgb: try GoldenFiles.image(golden, "rgb"), trimap: try GoldenFiles.image(golden, "trimap"))
        let expected = try golden.floats("final_alpha_mirror_average")
        #expect(alpha.pixels.withUnsafeBufferPointer { GoldenFiles.maxDifference(UnsafeMutablePointer(mutating: $0.baseAddress!), expected) } <= tolerance)
    }
}
