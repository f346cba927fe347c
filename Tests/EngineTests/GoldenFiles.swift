import Engine
import Foundation
import MatteCore

/// The golden tensors `training/golden.py` writes from the PyTorch definition.
enum GoldenFiles {
    static let folder: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
    }()
    static var weights: String { folder + "/golden_weights.safetensors" }
    static var tensors: String { folder + "/golden_tensors.safetensors" }

    /// The engine (untiled) and its matte of the golden file's `rgb` and `trimap`.
    static func matte(_ network: MattingNetwork, _ golden: SafeTensorsFile,
                      averagesMirrored: Bool = false, backend: ConvolutionBackend = .standard) throws -> (engine: MattingEngine, alpha: ImageTensor) {
        let engine = MattingEngine(network: network, tiles: nil, averagesMirrored: averagesMirrored)
        engine.backend = backend
        let alpha = try engine.matte(rgb: try image(golden, "rgb"), trimap: try image(golden, "trimap"))
        return (engine, alpha)
    }

    /// The largest |value − expected| over the expected values.
    static func maxDifference(_ values: UnsafeMutablePointer<Float>, _ expected: [Float]) -> Float {
        var largest: Float = 0
        for i in expected.indices { largest = max(largest, abs(values[i] - expected[i])) }
        return largest
    }

    /// A golden tensor of shape [1, C, H, W] as an ImageTensor.
    static func image(_ file: SafeTensorsFile, _ name: String) throws -> ImageTensor {
        let entry = try require(file.entries[name], name)
        let shape = entry.shape
        return ImageTensor(width: shape[3], height: shape[2], channels: shape[1], pixels: try file.floats(name))
    }
}

/// `#require` for optionals outside a test body.
private func require<T>(_ value: T?, _ what: String = "value") throws -> T {
    guard let value else { throw VMatteError.runtime("missing \(what)") }
    return value
}
