import Foundation

/// One convolution of the network timed on its own at the size it runs at in a frame.
public struct LayerTiming: Sendable {
    public let name: String
    public let kernel: Int
    public let inputChannels: Int
    public let outputChannels: Int
    public let width: Int
    public let height: Int
    /// Median seconds of one run.
    public let seconds: Double

    public var multiplyAdds: Int { inputChannels * outputChannels * kernel * kernel * width * height }
    public var gflops: Double { 2 * Double(multiplyAdds) / seconds / 1e9 }
}

extension MattingNetwork {
    /// The network's convolutions in forward order, each with the power of two its maps are
    /// smaller than the frame by.
    var convolutionsByLevel: [(name: String, level: Int, layer: Convolution)] {
        var layers: [(String, Int, Convolution)] = []
        if let stage = encoderDecoder {
            for (block, convolutions) in stage.encoder.enumerated() {
                for (index, layer) in convolutions.enumerated() { layers.append(("conv\(block + 1)_\(index + 1)", block, layer)) }
            }
            layers.append(("fc6", 5, stage.fc6))
            layers.append(("deconv6", 5, stage.deconv6))
            for (level, layer) in stage.decoder.enumerated() { layers.append(("deconv\(5 - level)", 4 - level, layer)) }
            layers.append(("alpha_pred", 0, stage.alphaPrediction))
        }
        for (index, layer) in refinement.enumerated() { layers.append(("refine\(index + 1)", 0, layer)) }
        layers.append(("refine_pred", 0, refinePrediction))
        return layers
    }

    /// Times every convolution alone on `backend` (single-output layers always run the
    /// engine's own direct accumulation) for a `width` × `height` frame (padded to 32).
    public func timeConvolutions(width: Int, height: Int, backend: ConvolutionBackend, repeats: Int = 5) -> [LayerTiming] {
        let workspace = Workspace()
        let frameHeight = (height + 31) / 32 * 32, frameWidth = (width + 31) / 32 * 32
        return convolutionsByLevel.map { name, level, layer in
            let h = frameHeight >> level, w = frameWidth >> level
            let input = FeatureMap(data: workspace.floats("timing.input", count: layer.inputChannels * h * w), channels: layer.inputChannels, height: h, width: w)
            for i in 0..<input.count { input.data[i] = Float((i * 7919) % 255) / 255 - 0.5 }
            let output = FeatureMap(data: workspace.floats("timing.output", count: layer.outputChannels * h * w), channels: layer.outputChannels, height: h, width: w)
            let chain = backend == .oneDNN && layer.outputChannels > 1 ? workspace.oneDNNChain(name, layers: [layer], height: h, width: w) : nil
            func once() {
                if let chain, (try? chain.run(input, into: output, workspace: workspace, threads: BLASRuntime.threadCount)) != nil { return }
                layer.apply(input, into: output, workspace: workspace)
            }
            once()
            var times: [Double] = []
            for _ in 0..<max(1, repeats) {
                let start = Date()
                once()
                times.append(Date().timeIntervalSince(start))
            }
            return LayerTiming(name: name, kernel: layer.kernel, inputChannels: layer.inputChannels, outputChannels: layer.outputChannels,
                               width: w, height: h, seconds: times.sorted()[times.count / 2])
        }
    }
}
