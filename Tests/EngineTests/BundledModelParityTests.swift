@testable import Engine
import Foundation
import MatteCore
import Testing

/// The bundled model (`Models/vmatte-dim.safetensors`) run by the Swift engine against
/// PyTorch's matte of the same crop (training/golden_bundled.py), on every convolution backend.
@Suite struct BundledModelParityTests {
    static let modelPath: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models/vmatte-dim.safetensors").path
    }()
    static let goldenPath = GoldenFiles.folder + "/bundled_model_golden.safetensors"

    @Test func goldenIsForTheBundledCheckpoint() throws {
        let model = try SafeTensorsFile(path: Self.modelPath)
        let golden = try SafeTensorsFile(path: Self.goldenPath)
        #expect(golden.metadata["model_training"] == model.metadata["training"],
                "the bundled model changed: rerun /usr/bin/python3 training/golden_bundled.py")
    }

    @Test(arguments: ConvolutionBackend.allCases) func matteMatchesPyTorch(backend: ConvolutionBackend) throws {
        let network = try MattingNetwork(path: Self.modelPath)
        let golden = try SafeTensorsFile(path: Self.goldenPath)
        let alpha = try GoldenFiles.matte(network, golden, backend: backend).alpha
        let expected = try golden.floats("final_alpha")
        try #require(alpha.pixels.count == expected.count)

        let differences = zip(alpha.pixels, expected).map { abs($0 - $1) }
        let largest = differences.max() ?? 0
        let mean = differences.reduce(0, +) / Float(differences.count)
        let offShare = Float(differences.filter { $0 > 1e-3 }.count) / Float(differences.count)
        // Real weights put many 2x2 max-pool windows within f32 rounding of a tie (the
        // generator reports the smallest gap): where the other order of summation picks
        // another argmax, the unpooling moves a value one pixel and the decoder spreads it
        // over a small patch. Everywhere else the two agree to rounding.
        #expect(mean <= 1e-4, "mean |Swift − PyTorch| = \(mean)")
        #expect(offShare <= 0.005, "\(offShare * 100) % of pixels differ by more than 1e-3 (largest \(largest))")
        #expect(largest <= 0.1, "largest |Swift − PyTorch| = \(largest)")
        // The matte is not trivial: it has fractional values where the trimap is unknown.
        #expect(expected.contains { $0 > 0.05 && $0 < 0.95 })
    }
}
