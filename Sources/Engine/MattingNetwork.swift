import Foundation
import MatteCore

/// Deep Image Matting, stage 1 (VGG-16-style encoder-decoder with unpooling, absent from a
/// closed-form refinement) and stage 2 (refinement), built from a weights file, forward pass
/// only. The forward pass reads top-down as training/MODEL_FORMAT.md section 4 writes it.
public final class MattingNetwork: @unchecked Sendable {
    public let description: ModelDescription
    public let path: String
    /// Nil for a closed-form refinement (format version 3): its raw alpha is the closed-form matte.
    let encoderDecoder: EncoderDecoder?
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
        encoderDecoder = model.hasEncoderDecoder ? try EncoderDecoder(file: file, model: model) : nil
        var refineLayers: [Convolution] = []
        var refineChannels = model.refineInputChannels
        for index in 0..<model.refineLayers {
            refineLayers.append(try Convolution(file: file, name: "refine\(index + 1)", in: refineChannels, out: model.refineWidth,
                                                kernel: model.refineKernel, batchNorm: false, relu: true, epsilon: model.batchNormEpsilon))
            refineChannels = model.refineWidth
        }
        refinement = refineLayers
        refinePrediction = try Convolution(file: file, name: "refine_pred", in: refineChannels, out: 1, kernel: model.refineKernel,
                                           batchNorm: false, relu: false, epsilon: model.batchNormEpsilon)
    }

    /// Where the refinement runs: everywhere, or only around the trimap's unknown pixels
    /// (elsewhere the refined alpha is the raw alpha, which the trimap overrides anyway).
    public enum RefinedPixels: Sendable {
        case everywhere, unknownBand
    }

    /// Runs both stages on `input` ([R', G', B', trimap] planes, normalised, then the
    /// closed-form matte when the model takes it; H and W multiples of 32) and returns the
    /// refined alpha plane (in workspace memory, valid until the next call). `observe` sees
    /// every named intermediate (for parity tests).
    public func forward(_ input: FeatureMap, workspace: Workspace, refinedPixels: RefinedPixels = .everywhere,
                        backend: ConvolutionBackend = .standard, observe: ((String, FeatureMap) -> Void)? = nil) -> FeatureMap {
        precondition(input.channels == description.inputChannels && input.height % 32 == 0 && input.width % 32 == 0,
                     "network input must be \(description.inputChannels)×(32k)×(32m)")
        let fullSize = input.planeSize
        // The encoder-decoder's two activation buffers; the refinement of the whole frame grows them to its own width.
        let bufferSize = encoderDecoder == nil ? 0 : Int((EncoderDecoder.activationFloatsPerPixel(description) * Double(fullSize)).rounded(.up))
        let a = workspace.floats("activations.a", count: bufferSize)
        let b = workspace.floats("activations.b", count: bufferSize)
        // The whole-frame refinement's buffers: staging (4 or 5 planes) in b, the layers in a and b.
        func refinementBuffers() -> (staging: UnsafeMutablePointer<Float>, scratch: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)) {
            let count = max(bufferSize, max(description.refineInputChannels, description.refineWidth) * fullSize)
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

        let raw = FeatureMap(data: workspace.floats("raw_alpha", count: fullSize), channels: 1, height: input.height, width: input.width)
        if let encoderDecoder {
            let decoded = encoderDecoder.forward(input, workspace: workspace, runAll: runAll, other: other, observe: observe)
            encoderDecoder.alphaPrediction.apply(decoded, into: raw, workspace: workspace)
            observe?(description.alphaHead == .sigmoid ? "alpha_logits" : "alpha_residual", raw)
        }
        switch description.alphaHead {
        case .sigmoid:
            for p in 0..<fullSize { raw.data[p] = 1 / (1 + expf(-raw.data[p])) }
        case .closedFormResidual:
            let closedForm = input.plane(description.closedFormChannel!)
            for p in 0..<fullSize { raw.data[p] = min(1, max(0, closedForm[p] + raw.data[p])) }
        case .closedForm:
            let closedForm = input.plane(description.closedFormChannel!)
            for p in 0..<fullSize { raw.data[p] = min(1, max(0, closedForm[p])) }
        }
        observe?("raw_alpha", raw)

        // Stage 2: refinement on the normalised RGB and the raw alpha (and the KNN matte).
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
