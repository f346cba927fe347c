import Foundation
import MatteCore

/// Stage 1 of Deep Image Matting: the VGG-16-style encoder, fc6, and the decoder that unpools
/// with the encoder's winners, ending in the raw alpha (training/MODEL_FORMAT.md section 4).
/// A closed-form refinement (format version 3) has none: its raw alpha is the closed-form matte.
struct EncoderDecoder: Sendable {
    let encoder: [[Convolution]]
    let fc6: Convolution
    let deconv6: Convolution
    let decoder: [Convolution]
    let alphaPrediction: Convolution

    init(file: SafeTensorsFile, model: ModelDescription) throws {
        var channels = model.inputChannels
        var blocks: [[Convolution]] = []
        for block in 0..<5 {
            var layers: [Convolution] = []
            for index in 0..<model.convolutionsPerBlock[block] {
                layers.append(try Convolution(file: file, name: "conv\(block + 1)_\(index + 1)", in: channels, out: model.encoderWidths[block],
                                              kernel: model.encoderKernel, batchNorm: true, relu: true, epsilon: model.batchNormEpsilon))
                channels = model.encoderWidths[block]
            }
            blocks.append(layers)
        }
        encoder = blocks
        fc6 = try Convolution(file: file, name: "fc6", in: channels, out: channels, kernel: model.fc6Kernel, batchNorm: true, relu: true,
                              epsilon: model.batchNormEpsilon)
        deconv6 = try Convolution(file: file, name: "deconv6", in: channels, out: model.decoderWidths[0], kernel: 1, batchNorm: true, relu: true,
                                  epsilon: model.batchNormEpsilon)
        channels = model.decoderWidths[0]
        var decoderLayers: [Convolution] = []
        for (level, width) in model.decoderWidths.enumerated() {
            decoderLayers.append(try Convolution(file: file, name: "deconv\(5 - level)", in: channels, out: width, kernel: model.decoderKernel,
                                                 batchNorm: true, relu: true, epsilon: model.batchNormEpsilon))
            channels = width
        }
        decoder = decoderLayers
        alphaPrediction = try Convolution(file: file, name: "alpha_pred", in: channels, out: 1, kernel: model.alphaKernel, batchNorm: false,
                                          relu: false, epsilon: model.batchNormEpsilon)
        // deconv6's output must match the first decoder block's pooled width for unpooling.
        guard model.decoderWidths[0] == model.encoderWidths[4] else {
            throw VMatteError.badInput("the weights file '\(file.path)': deconv6 width \(model.decoderWidths[0]) differs from pool5's \(model.encoderWidths[4])")
        }
    }

    /// Floats per full-resolution pixel the largest activation needs (a level-l map of C
    /// channels needs C / 4^l): sizes the two activation buffers.
    static func activationFloatsPerPixel(_ model: ModelDescription) -> Double {
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

    /// The decoder's last feature map for `input`, computed in the two activation buffers; `runAll`
    /// runs a run of layers (as one oneDNN chain where it builds) and `other` names the buffer a
    /// map is not in.
    func forward(_ input: FeatureMap, workspace: Workspace, runAll: ([Convolution], String, FeatureMap) -> FeatureMap,
                 other: (FeatureMap) -> UnsafeMutablePointer<Float>, observe: ((String, FeatureMap) -> Void)?) -> FeatureMap {
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
        for (level, layer) in decoder.enumerated() {
            let block = 4 - level
            let unpooled = FeatureMap(data: other(h), channels: h.channels, height: h.height * 2, width: h.width * 2)
            Pooling.unpool(h, winners: winners[block], into: unpooled)
            h = runAll([layer], "deconv\(block + 1)", unpooled)
            observe?("deconv\(block + 1)", h)
        }
        return h
    }
}
