@testable import Engine
import Foundation
import MatteCore
import Testing

/// The refinement run on the unknown band alone gives, on every unknown pixel, what the
/// refinement of the whole map gives: to the last bit on OpenBLAS (the same kernels run the
/// band and the whole map); to float rounding on oneDNN (there the whole map runs oneDNN and a
/// small band OpenBLAS).
@Suite struct RefinementBandTests {
    func compare(model: String, golden: String, backend: ConvolutionBackend) throws -> (largest: Float, unknown: Int, refinedElsewhere: Int) {
        let network = try MattingNetwork(path: model)
        let file = try SafeTensorsFile(path: golden)
        let rgb = try GoldenFiles.image(file, "rgb"), trimap = try GoldenFiles.image(file, "trimap")
        let workspace = Workspace()
        let input = InputPreparation.networkInput(rgb: rgb, trimap: trimap, rows: 0..<rgb.height, columns: 0..<rgb.width,
                                                  model: network.description, workspace: workspace)
        var raw: [Float] = []
        let whole = Array(UnsafeBufferPointer(start: network.forward(input, workspace: workspace, backend: backend) { name, map in
            if name == "raw_alpha" { raw = Array(UnsafeBufferPointer(start: map.data, count: map.count)) }
        }.data, count: input.planeSize))
        let band = network.forward(input, workspace: workspace, refinedPixels: .unknownBand, backend: backend)
        var largest: Float = 0, unknown = 0, refinedElsewhere = 0
        for p in 0..<input.planeSize {
            if input.plane(3)[p] == TrimapValue.unknown {
                unknown += 1
                largest = max(largest, abs(band.data[p] - whole[p]))
            } else if band.data[p] != raw[p] {
                refinedElsewhere += 1
            }
        }
        return (largest, unknown, refinedElsewhere)
    }

    func allowed(_ backend: ConvolutionBackend) -> Float { backend == .openBLAS ? 1e-6 : 1e-5 }

    @Test(arguments: ConvolutionBackend.allCases) func goldenNetwork(backend: ConvolutionBackend) throws {
        let result = try compare(model: GoldenFiles.weights, golden: GoldenFiles.tensors, backend: backend)
        #expect(result.unknown > 100)
        #expect(result.largest <= allowed(backend), "largest |band − whole| on unknown pixels = \(result.largest)")
    }

    @Test(arguments: ConvolutionBackend.allCases) func bundledModelOnTheSampleCrop(backend: ConvolutionBackend) throws {
        let result = try compare(model: BundledModelParityTests.modelPath, golden: BundledModelParityTests.goldenPath, backend: backend)
        #expect(result.unknown > 100)
        #expect(result.largest <= allowed(backend), "largest |band − whole| on unknown pixels = \(result.largest)")
    }
}
