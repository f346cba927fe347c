import MatteCore

extension Convolution {
    /// Layer `name` of a weights file: a plain convolution (`name.weight`, `name.bias`), or one
    /// followed by inference batch-norm (`name.conv.weight`, `name.bn.*`), folded in:
    /// W' = W·s, b' = β − μ·s, s = γ/√(σ²+ε).
    init(file: SafeTensorsFile, name: String, in inChannels: Int, out outChannels: Int, kernel: Int, batchNorm: Bool, relu: Bool,
         epsilon: Float) throws {
        let shape = [outChannels, inChannels, kernel, kernel]
        if !batchNorm {
            self.init(inputChannels: inChannels, outputChannels: outChannels, kernel: kernel, relu: relu,
                      weights: try file.floats("\(name).weight", shape: shape), bias: try file.floats("\(name).bias", shape: [outChannels]))
            return
        }
        var weights = try file.floats("\(name).conv.weight", shape: shape)
        let gamma = try file.floats("\(name).bn.weight", shape: [outChannels])
        let beta = try file.floats("\(name).bn.bias", shape: [outChannels])
        let mean = try file.floats("\(name).bn.running_mean", shape: [outChannels])
        let variance = try file.floats("\(name).bn.running_var", shape: [outChannels])
        var bias = [Float](repeating: 0, count: outChannels)
        let perOutput = inChannels * kernel * kernel
        for o in 0..<outChannels {
            guard variance[o] >= 0 else { throw VMatteError.badInput("the weights file '\(file.path)': \(name) has a negative variance") }
            let scale = Float(Double(gamma[o]) / (Double(variance[o]) + Double(epsilon)).squareRoot())
            for k in 0..<perOutput { weights[o * perOutput + k] *= scale }
            bias[o] = beta[o] - mean[o] * scale
        }
        self.init(inputChannels: inChannels, outputChannels: outChannels, kernel: kernel, relu: relu, weights: weights, bias: bias)
    }
}
