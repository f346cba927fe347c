import Foundation
import MatteCore

/// The network's shape and input convention as the weights file's metadata states them
/// (format "vmatte-dim", see training/MODEL_FORMAT.md), so one engine runs every width.
/// A closed-form refinement (version 3, or 4 when it also reads a KNN matte) has no
/// encoder-decoder: its stage-1 sizes are empty.
public struct ModelDescription: Sendable, Equatable {
    /// Whether stage 1 (the encoder-decoder) is there: versions 1 and 2.
    public var hasEncoderDecoder: Bool
    public var encoderWidths: [Int]
    public var convolutionsPerBlock: [Int]
    public var decoderWidths: [Int]
    public var fc6Kernel: Int
    public var encoderKernel: Int
    public var decoderKernel: Int
    public var alphaKernel: Int
    public var refineWidth: Int
    public var refineKernel: Int
    public var refineLayers: Int
    public var batchNormEpsilon: Float
    /// Per-channel RGB normalisation: (rgb - mean) / std.
    public var mean: [Float]
    public var std: [Float]
    /// Network sizes must be multiples of this (the five 2× poolings).
    public var padMultiple: Int
    /// The input planes in channel order: `rgb` (3), `trimap` (1), then optionally `closed_form` (1) and `knn` (1).
    public var inputs: [String]
    /// How the decoder's last convolution becomes the raw alpha.
    public var alphaHead: AlphaHead

    /// The decoder's alpha head.
    public enum AlphaHead: String, Sendable, Equatable {
        /// sigmoid(alpha_pred)
        case sigmoid
        /// clamp(closed-form matte + alpha_pred, 0, 1): the network corrects closed-form matting.
        case closedFormResidual = "closed_form_residual"
        /// The closed-form matte itself, clamped to 0…1: no encoder-decoder, the refinement corrects it.
        case closedForm = "closed_form"
    }

    /// Planes of the network input.
    public var inputChannels: Int { inputs.reduce(0) { $0 + ($1 == "rgb" ? 3 : 1) } }
    /// Whether the network reads a closed-form matte of the frame as an input plane.
    public var usesClosedForm: Bool { inputs.contains("closed_form") }
    /// The closed-form matte's plane in the network input.
    public var closedFormChannel: Int? { usesClosedForm ? 4 : nil }
    /// Whether the refinement reads a KNN matte of the frame (version 4).
    public var usesKNN: Bool { inputs.contains("knn") }
    /// The KNN matte's plane in the network input.
    public var knnChannel: Int? { usesKNN ? 5 : nil }
    /// Planes the refinement reads: normalised RGB, the raw alpha, and the KNN matte when the model takes it.
    public var refineInputChannels: Int { usesKNN ? 5 : 4 }

    /// Reads the description from a weights file's metadata, refusing anything it cannot run.
    public init(metadata: [String: String], path: String) throws {
        func fail(_ reason: String) -> VMatteError { .badInput("the weights file '\(path)' \(reason)") }
        guard metadata["format"] == "vmatte-dim" else {
            throw fail("is not a vmatte model (metadata format is '\(metadata["format"] ?? "missing")', expected 'vmatte-dim')")
        }
        guard let version = metadata["version"], ["1", "2", "3", "4"].contains(version) else {
            throw fail("has model format version \(metadata["version"] ?? "?"); this vmatte reads versions 1 to 4")
        }
        hasEncoderDecoder = version == "1" || version == "2"
        func object(_ key: String) throws -> [String: Any] {
            guard let text = metadata[key], let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                throw fail("has no readable '\(key)' metadata")
            }
            return value
        }
        let architecture = try object("architecture")
        let input = try object("input")
        func integers(_ key: String, count: Int) throws -> [Int] {
            guard let values = architecture[key] as? [NSNumber], values.count == count,
                  values.allSatisfy({ $0.intValue > 0 && $0.intValue <= 4096 }) else {
                throw fail("has a bad '\(key)' in its architecture")
            }
            return values.map(\.intValue)
        }
        func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int {
            guard let value = (architecture[key] as? NSNumber)?.intValue, range.contains(value) else {
                throw fail("has a bad '\(key)' in its architecture")
            }
            return value
        }
        if hasEncoderDecoder {
            encoderWidths = try integers("encoder_widths", count: 5)
            convolutionsPerBlock = try integers("encoder_convs_per_block", count: 5)
            decoderWidths = try integers("decoder_widths", count: 5)
            fc6Kernel = try integer("fc6_kernel", in: 1...7)
            encoderKernel = try integer("encoder_kernel", in: 1...7)
            decoderKernel = try integer("decoder_kernel", in: 1...7)
            alphaKernel = try integer("alpha_kernel", in: 1...7)
        } else {
            (encoderWidths, convolutionsPerBlock, decoderWidths) = ([], [], [])
            (fc6Kernel, encoderKernel, decoderKernel, alphaKernel) = (1, 1, 1, 1)
        }
        refineWidth = try integer("refine_width", in: 1...1024)
        refineKernel = try integer("refine_kernel", in: 1...7)
        refineLayers = try integer("refine_layers", in: 1...16)
        let inputList = (architecture["inputs"] as? String) ?? "rgb,trimap"
        inputs = inputList.split(separator: ",").map(String.init)
        let readable = version == "4" ? [["rgb", "trimap", "closed_form", "knn"]] : [["rgb", "trimap"], ["rgb", "trimap", "closed_form"]]
        guard readable.contains(inputs) else {
            throw fail("asks for inputs '\(inputList)'; this vmatte reads \(readable.map { $0.joined(separator: ",") }.joined(separator: " and ")) in version \(version)")
        }
        if let channels = (architecture["in_channels"] as? NSNumber)?.intValue, channels != inputs.reduce(0, { $0 + ($1 == "rgb" ? 3 : 1) }) {
            throw fail("has in_channels \(channels), which does not match its inputs '\(inputList)'")
        }
        guard let head = AlphaHead(rawValue: (architecture["alpha_head"] as? String) ?? "sigmoid") else {
            throw fail("uses an alpha head this vmatte does not know")
        }
        alphaHead = head
        let activation = architecture["alpha_activation"] as? String
        guard (head == .sigmoid && activation == "sigmoid") || (head != .sigmoid && activation == "none") else {
            throw fail("uses an alpha activation this vmatte does not know")
        }
        if head != .sigmoid && !inputs.contains("closed_form") {
            throw fail("corrects a closed-form matte it does not take as input")
        }
        guard (head == .closedForm) == !hasEncoderDecoder else {
            throw fail(hasEncoderDecoder ? "has an encoder-decoder but no alpha head for it" : "has no encoder-decoder but an alpha head '\(head.rawValue)'")
        }
        batchNormEpsilon = (architecture["bn_eps"] as? NSNumber)?.floatValue ?? 1e-5
        guard let mean = input["mean"] as? [NSNumber], let std = input["std"] as? [NSNumber], mean.count == 3, std.count == 3,
              std.allSatisfy({ $0.floatValue > 0 }) else {
            throw fail("has no usable input mean/std")
        }
        self.mean = mean.map(\.floatValue)
        self.std = std.map(\.floatValue)
        padMultiple = (input["pad_multiple"] as? NSNumber)?.intValue ?? 32
        guard padMultiple == 32 else { throw fail("asks for padding to \(padMultiple); the network needs 32") }
        for kernel in [fc6Kernel, encoderKernel, decoderKernel, alphaKernel, refineKernel] where kernel % 2 == 0 {
            throw fail("has an even kernel size \(kernel)")
        }
    }

    /// Multiply-adds for one H×W input (both stages).
    public func multiplyAdds(height: Int, width: Int) -> Int {
        let refinement = (refineInputChannels * refineWidth + (refineLayers - 1) * refineWidth * refineWidth + refineWidth)
            * refineKernel * refineKernel * height * width
        guard hasEncoderDecoder else { return refinement }
        var total = 0
        var channels = inputChannels, scale = 1
        for block in 0..<5 {
            for _ in 0..<convolutionsPerBlock[block] {
                total += channels * encoderWidths[block] * encoderKernel * encoderKernel * (height / scale) * (width / scale)
                channels = encoderWidths[block]
            }
            scale *= 2
        }
        let top = (height / 32) * (width / 32)
        total += channels * channels * fc6Kernel * fc6Kernel * top + channels * channels * top
        for (level, outWidth) in decoderWidths.enumerated() {
            let size = (height >> (4 - level)) * (width >> (4 - level))
            total += channels * outWidth * decoderKernel * decoderKernel * size
            channels = outWidth
        }
        total += channels * alphaKernel * alphaKernel * height * width
        return total + refinement
    }
}
