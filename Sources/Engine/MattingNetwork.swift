import Foundation
import MatteCore

/// Deep Image Matting, stage 1 (VGG-16-style encoder-decoder with unpooling) and stage 2
/// (refinement), built from a weights file, forward pass only. The forward pass reads
/// top-down as training/MODEL_FORMAT.md section 4 writes it.
public final class MattingNetwork: @unchecked Sendable {
    public let description: ModelDescription
    public let path: String
    let encoder: [[Convolution]]
    let fc6: Convolution
    let deconv6: Convolution
    let decoder: [Convolution]
    let alphaPrediction: Convolution
    let refinement: [Convolution]
    let refinePrediction: Convolution

    /// Loads and checks every tensor of `path` against the architecture in its metadata.
    public convenience init(path: String) throws {
        try self.init(file: SafeTensorsFile(path: path))
    }

    public init(file: SafeTensorsFile) throws {
        let model = try ModelDescription(metadata: file.metadata, path: file.path)
        description = model
        path = file.path

        func conv(_ name: String, in inChannels: Int, out outChannels: Int, kernel: Int, batchNorm: Bool, relu: Bool) throws -> Convolution {
            let shape = [outChannels, inChannels, kernel, kernel]
            if !batchNorm {
                return Convolution(inputChannels: inChannels, outputChannels: outChannels, kernel: kernel, relu: relu,
                                   weights: try file.floats("\(name).weight", shape: shape),
                                   bias: try file.floats("\(name).bias", shape: [outChannels]))
            }
            // Fold inference batch-norm into the convolution: W' = W·s, b' = β − μ·s, s = γ/√(σ²+ε).
            var weights = try file.floats("\(name).conv.weight", shape: shape)
            let gamma = try file.floats("\(name).bn.weight", shape: [outChannels])
            let beta = try file.floats("\(name).bn.bias", shape: [outChannels])
            let mean = try file.floats("\(name).bn.running_mean", shape: [outChannels])
            let variance = try file.floats("\(name).bn.running_var", shape: [outChannels])
            var bias = [Float](repeating: 0, count: outChannels)
            let perOutput = inChannels * kernel * kernel
            for o in 0..<outChannels {
                guard variance[o] >= 0 else { throw VMatteError.badInput("the weights file '\(file.path)': \(name) has a negative variance") }
                let scale = Float(Double(gamma[o]) / (Double(variance[o]) + Double(model.batchNormEpsilon)).squareRoot())
                for k in 0..<perOutput { weights[o * perOutput + k] *= scale }
                bias[o] = beta[o] - mean[o] * scale
            }
            return Convolution(inputChannels: inChannels, outputChannels: outChannels, kernel: kernel, relu: relu, weights: weights, bias: bias)
        }

        var channels = model.inputChannels
        var blocks: [[Convolution]] = []
        for block in 0..<5 {
            var layers: [Convolution] = []
            for index in 0..<model.convolutionsPerBlock[block] {
                layers.append(try conv("conv\(block + 1)_\(index + 1)", in: channels, out: model.encoderWidths[block],
                                       kernel: model.encoderKernel, batchNorm: true, relu: true))
                channels = model.encoderWidths[block]
            }
            blocks.append(layers)
        }
        encoder = blocks
        fc6 = try conv("fc6", in: channels, out: channels, kernel: model.fc6Kernel, batchNorm: true, relu: true)
        deconv6 = try conv("deconv6", in: channels, out: model.decoderWidths[0], kernel: 1, batchNorm: true, relu: true)
        channels = model.decoderWidths[0]
        var decoderLayers: [Convolution] = []
        for (level, width) in model.decoderWidths.enumerated() {
            decoderLayers.append(try conv("deconv\(5 - level)", in: channels, out: width, kernel: model.decoderKernel, batchNorm: true, relu: true))
            channels = width
        }
        decoder = decoderLayers
        alphaPrediction = try conv("alpha_pred", in: channels, out: 1, kernel: model.alphaKernel, batchNorm: false, relu: false)
        var refineLayers: [Convolution] = []
        var refineChannels = 4
        for index in 0..<model.refineLayers {
            refineLayers.append(try conv("refine\(index + 1)", in: refineChannels, out: model.refineWidth, kernel: model.refineKernel,
                                         batchNorm: false, relu: true))
            refineChannels = model.refineWidth
        }
        refinement = refineLayers
        refinePrediction = try conv("refine_pred", in: refineChannels, out: 1, kernel: model.refineKernel, batchNorm: false, relu: false)
        // deconv6's output must match the first decoder block's pooled width for unpooling.
        guard model.decoderWidths[0] == model.encoderWidths[4] else {
            throw VMatteError.badInput("the weights file '\(file.path)': deconv6 width \(model.decoderWidths[0]) differs from pool5's \(model.encoderWidths[4])")
        }
    }

    /// Floats per full-resolution pixel the largest activation of the encoder-decoder needs (a
    /// level-l map of C channels needs C / 4^l): sizes the two activation buffers. The
    /// refinement of the whole frame grows them to its own width when it runs.
    private var activationFloatsPerPixel: Double {
        let model = description
        var largest = Double(model.inputChannels)
        for level in 0..<5 {
            let shrink = Double(1 << (2 * level))
            largest = max(largest, Double(model.encoderWidths[level]) / shrink)
            // Unpooled maps at this level carry the decoder width of the level above.
            let unpooledChannels = level == 4 ? model.decoderWidths[0] : model.decoderWidths[3 - level]
            largest = max(largest, Double(unpooledChannels) / shrink, Double(model.decoderWidths[4 - level]) / shrink)
        }
        return largest
    }

    /// Runs both stages on `input` ([R', G', B', trimap] planes, normalised, then the
    /// closed-form matte when the model takes it; H and W multiples of 32) and returns the refined alpha plane (in workspace memory, valid until the next
    /// call). `observe` sees every named intermediate (for parity tests).
    /// Where the refinement runs: everywhere, or only around the trimap's unknown pixels
    /// (elsewhere the refined alpha is the raw alpha, which the trimap overrides anyway).
    public enum RefinedPixels: Sendable {
        case everywhere, unknownBand
    }

    public func forward(_ input: FeatureMap, workspace: Workspace, refinedPixels: RefinedPixels = .everywhere,
                        backend: ConvolutionBackend = .standard, observe: ((String, FeatureMap) -> Void)? = nil) -> FeatureMap {
        precondition(input.channels == description.inputChannels && input.height % 32 == 0 && input.width % 32 == 0,
                     "network input must be \(description.inputChannels)×(32k)×(32m)")
        let fullSize = input.planeSize
        let bufferSize = Int((activationFloatsPerPixel * Double(fullSize)).rounded(.up))
        let a = workspace.floats("activations.a", count: bufferSize)
        let b = workspace.floats("activations.b", count: bufferSize)
        // The whole-frame refinement's buffers: staging (4 planes) in b, the layers in a and b.
        func refinementBuffers() -> (staging: UnsafeMutablePointer<Float>, scratch: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)) {
            let count = max(bufferSize, max(4, description.refineWidth) * fullSize)
            let grownB = workspace.floats("activations.b", count: count)
            return (grownB, (workspace.floats("activations.a", count: count), grownB))
        }
        // Every step reads one buffer and writes the other.
        func other(_ map: FeatureMap) -> UnsafeMutablePointer<Float> { map.data == a ? b : a }
        func run(_ layer: Convolution, _ source: FeatureMap) -> FeatureMap {
            let output = FeatureMap(data: other(source), channels: layer.outputChannels, height: source.height, width: source.width)
            layer.apply(source, into: output, workspace: workspace)
            return output
        }
        // Consecutive layers run as one oneDNN chain (staying in its blocked layout) where it builds.
        func runAll(_ layers: [Convolution], _ name: String, _ source: FeatureMap) -> FeatureMap {
            if backend == .oneDNN, let chain = workspace.oneDNNChain(name, layers: layers, height: source.height, width: source.width) {
                let output = FeatureMap(data: other(source), channels: chain.outputChannels, height: source.height, width: source.width)
                do {
                    try chain.run(source, into: output, workspace: workspace, threads: BLASRuntime.threadCount)
                    return output
                } catch {
                    workspace.noteOneDNNProblem("\(error)")
                }
            }
            var h = source
            for layer in layers { h = run(layer, h) }
            return h
        }

        // Stage 1: encoder.
        var h = input
        var winners: [UnsafeMutablePointer<UInt8>] = []
        for (block, layers) in encoder.enumerated() {
            h = runAll(layers, "enc\(block + 1)", h)
            observe?("enc\(block + 1)", h)
            let pooled = FeatureMap(data: other(h), channels: h.channels, height: h.height / 2, width: h.width / 2)
            let codes = workspace.bytes("pool\(block + 1)", count: pooled.count)
            Pooling.maxPool(h, into: pooled, winners: codes)
            winners.append(codes)
            h = pooled
            observe?("pool\(block + 1)", h)
        }
        h = runAll([fc6], "fc6", h)
        observe?("fc6", h)
        h = runAll([deconv6], "deconv6", h)
        observe?("deconv6", h)

        // Stage 1: decoder, unpooling with the encoder's winners.
        for (level, layer) in decoder.enumerated() {
            let block = 4 - level
            let unpooled = FeatureMap(data: other(h), channels: h.channels, height: h.height * 2, width: h.width * 2)
            Pooling.unpool(h, winners: winners[block], into: unpooled)
            h = runAll([layer], "deconv\(block + 1)", unpooled)
            observe?("deconv\(block + 1)", h)
        }
        let raw = FeatureMap(data: workspace.floats("raw_alpha", count: fullSize), channels: 1, height: input.height, width: input.width)
        alphaPrediction.apply(h, into: raw, workspace: workspace)
        observe?(description.alphaHead == .sigmoid ? "alpha_logits" : "alpha_residual", raw)
        switch description.alphaHead {
        case .sigmoid:
            for p in 0..<fullSize { raw.data[p] = 1 / (1 + expf(-raw.data[p])) }
        case .closedFormResidual:
            let closedForm = input.plane(description.closedFormChannel!)
            for p in 0..<fullSize { raw.data[p] = min(1, max(0, closedForm[p] + raw.data[p])) }
        }
        observe?("raw_alpha", raw)

        // Stage 2: refinement on the normalised RGB and the raw alpha.
        let refined = FeatureMap(data: workspace.floats("refined_alpha", count: fullSize), channels: 1, height: input.height, width: input.width)
        switch refinedPixels {
        case .everywhere:
            let whole = (rows: 0..<input.height, columns: 0..<input.width)
            let buffers = refinementBuffers()
            refine(input: input, raw: raw, region: whole, kept: whole, staging: buffers.staging, scratch: buffers.scratch,
                   residual: refined.data, into: refined, workspace: workspace, backend: backend, observe: observe)
        case .unknownBand:
            refineUnknownBand(input: input, raw: raw, into: refined, workspace: workspace, backend: backend,
                              wholeFrameBuffers: refinementBuffers)
        }
        observe?("refined_alpha", refined)
        return refined
    }

    /// Multiply-adds of one forward pass at H×W.
    public func multiplyAdds(height: Int, width: Int) -> Int { description.multiplyAdds(height: height, width: width) }
}
