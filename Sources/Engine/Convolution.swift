import COpenBLAS
import Dispatch

/// A 2-D convolution (stride 1, zero padding k/2, cross-correlation as PyTorch defines it)
/// with its bias and optional ReLU applied in the output pass. Weights are OIHW, with any
/// batch-norm already folded in. Four ways to run it, by shape: 1×1 straight to sgemm,
/// thin k×k inputs as one sgemm per tap on a zero-bordered band, other k×k through im2col
/// bands, and single-output layers by direct accumulation.
struct Convolution {
    let inputChannels: Int
    let outputChannels: Int
    let kernel: Int
    let relu: Bool
    let weights: [Float]
    let bias: [Float]
    /// For thin k×k layers: the weights regrouped as k² matrices [out, in], one per tap.
    let tapWeights: [Float]?

    /// Inputs up to this many channels take the shifted-tap path: measured faster than
    /// im2col there (its k² copies dominate), slower above (docs/engine.md).
    static let shiftedChannelLimit = 32

    /// Bytes of im2col columns per band: bounds memory whatever the frame size.
    static let columnBudget = 4 << 20

    var padding: Int { kernel / 2 }
    var multiplyAdds: Int { inputChannels * kernel * kernel * outputChannels }

    init(inputChannels: Int, outputChannels: Int, kernel: Int, relu: Bool, weights: [Float], bias: [Float]) {
        precondition(weights.count == outputChannels * inputChannels * kernel * kernel && bias.count == outputChannels)
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernel = kernel
        self.relu = relu
        self.weights = weights
        self.bias = bias
        if kernel > 1 && outputChannels > 1 && inputChannels <= Self.shiftedChannelLimit {
            let taps = kernel * kernel
            var regrouped = [Float](repeating: 0, count: weights.count)
            for o in 0..<outputChannels {
                for i in 0..<inputChannels {
                    for t in 0..<taps { regrouped[(t * outputChannels + o) * inputChannels + i] = weights[(o * inputChannels + i) * taps + t] }
                }
            }
            tapWeights = regrouped
        } else {
            tapWeights = nil
        }
    }

    /// Convolves `input` into `output` (same height and width, `outputChannels` planes).
    func apply(_ input: FeatureMap, into output: FeatureMap, workspace: Workspace) {
        precondition(input.channels == inputChannels && output.channels == outputChannels)
        precondition(input.height == output.height && input.width == output.width)
        if outputChannels == 1 {
            applySingleOutput(input, into: output)
        } else if kernel == 1 {
            applyPointwise(input, into: output)
        } else if let tapWeights {
            applyShifted(input, into: output, tapWeights: tapWeights, workspace: workspace)
        } else {
            applyBanded(input, into: output, workspace: workspace)
        }
    }

    /// 1×1: the input planes are already the matrix sgemm needs.
    private func applyPointwise(_ input: FeatureMap, into output: FeatureMap) {
        let pixels = input.planeSize
        weights.withUnsafeBufferPointer { w in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outputChannels), Int32(pixels), Int32(inputChannels),
                        1, w.baseAddress, Int32(inputChannels), input.data, Int32(pixels), 0, output.data, Int32(pixels))
        }
        finish(output, rows: 0..<output.height)
    }

    /// k×k: im2col of a band of output rows, then one sgemm writing straight into the output planes.
    private func applyBanded(_ input: FeatureMap, into output: FeatureMap, workspace: Workspace) {
        let width = input.width, height = input.height
        let depth = inputChannels * kernel * kernel
        let bandRows = max(1, min(height, Self.columnBudget / max(1, depth * width * 4)))
        let columns = workspace.floats("im2col", count: depth * bandRows * width)
        weights.withUnsafeBufferPointer { w in
            var top = 0
            while top < height {
                let rows = min(bandRows, height - top)
                let band = rows * width
                fillColumns(input, rows: top..<(top + rows), into: columns)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outputChannels), Int32(band), Int32(depth),
                            1, w.baseAddress, Int32(depth), columns, Int32(band), 0,
                            output.data + top * width, Int32(output.planeSize))
                finish(output, rows: top..<(top + rows))
                top += rows
            }
        }
    }

    /// Thin inputs: instead of k² copies of the input (im2col), one zero-bordered copy of a
    /// band and one sgemm per kernel tap reading it at a shifted offset, accumulating.
    private func applyShifted(_ input: FeatureMap, into output: FeatureMap, tapWeights: [Float], workspace: Workspace) {
        let width = input.width, height = input.height, pad = padding
        let paddedWidth = width + 2 * pad
        let bandRows = max(1, min(height, Self.columnBudget / max(1, (inputChannels + outputChannels) * paddedWidth * 4)))
        let paddedPlane = (bandRows + 2 * pad) * paddedWidth
        let source = workspace.floats("shifted.source", count: inputChannels * paddedPlane + 2 * pad + 1)
        let sums = workspace.floats("shifted.sums", count: outputChannels * bandRows * paddedWidth)
        let tapCount = kernel * kernel
        var top = 0
        while top < height {
            let rows = min(bandRows, height - top)
            // Zero-bordered copy of rows top-pad ..< top+rows+pad.
            source.update(repeating: 0, count: inputChannels * paddedPlane + 2 * pad + 1)
            for i in 0..<inputChannels {
                for r in 0..<(rows + 2 * pad) {
                    let y = top + r - pad
                    guard y >= 0 && y < height else { continue }
                    (source + i * paddedPlane + r * paddedWidth + pad).update(from: input.plane(i) + y * width, count: width)
                }
            }
            let count = rows * paddedWidth
            tapWeights.withUnsafeBufferPointer { taps in
                for t in 0..<tapCount {
                    let ky = t / kernel, kx = t % kernel
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outputChannels), Int32(count), Int32(inputChannels),
                                1, taps.baseAddress! + t * outputChannels * inputChannels, Int32(inputChannels),
                                source + ky * paddedWidth + kx, Int32(paddedPlane), t == 0 ? 0 : 1, sums, Int32(count))
                }
            }
            for o in 0..<outputChannels {
                let b = bias[o]
                for r in 0..<rows {
                    let from = sums + o * count + r * paddedWidth, to = output.plane(o) + (top + r) * width
                    if relu { for x in 0..<width { to[x] = max(0, from[x] + b) } } else { for x in 0..<width { to[x] = from[x] + b } }
                }
            }
            top += rows
        }
    }

    /// Row `((i * k + ky) * k + kx)` of the columns holds input plane `i` shifted by (ky, kx), zero outside.
    private func fillColumns(_ input: FeatureMap, rows: Range<Int>, into columns: UnsafeMutablePointer<Float>) {
        let width = input.width, height = input.height, pad = padding
        let band = rows.count * width
        // Memory-bound: both cores fill columns while OpenBLAS is idle between bands.
        nonisolated(unsafe) let columns = columns
        DispatchQueue.concurrentPerform(iterations: inputChannels) { i in
            let plane = input.plane(i)
            for ky in 0..<kernel {
                for kx in 0..<kernel {
                    let row = columns + ((i * kernel + ky) * kernel + kx) * band
                    let shift = kx - pad
                    let first = max(0, -shift), last = min(width, width - shift)  // valid output columns
                    for (r, y) in rows.enumerated() {
                        let target = row + r * width
                        let sourceRow = y + ky - pad
                        guard sourceRow >= 0 && sourceRow < height && first < last else {
                            target.update(repeating: 0, count: width)
                            continue
                        }
                        if first > 0 { target.update(repeating: 0, count: first) }
                        (target + first).update(from: plane + sourceRow * width + first + shift, count: last - first)
                        if last < width { (target + last).update(repeating: 0, count: width - last) }
                    }
                }
            }
        }
    }

    /// One output channel: BLAS runs such thin products at a few percent of peak, so
    /// accumulate shifted input rows directly instead.
    private func applySingleOutput(_ input: FeatureMap, into output: FeatureMap) {
        let width = input.width, height = input.height, pad = padding
        nonisolated(unsafe) let out = output.data
        let chunks = min(height, 16)
        weights.withUnsafeBufferPointer { weightBuffer in
            nonisolated(unsafe) let w = weightBuffer
            // Row chunks in parallel; each chunk accumulates every tap into its own rows.
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let rows = (chunk * height / chunks)..<((chunk + 1) * height / chunks)
                (out + rows.lowerBound * width).update(repeating: bias[0], count: rows.count * width)
                for i in 0..<inputChannels {
                    let plane = input.plane(i)
                    for ky in 0..<kernel {
                        for kx in 0..<kernel {
                            let weight = w[(i * kernel + ky) * kernel + kx]
                            let shift = kx - pad
                            let first = max(0, -shift), last = min(width, width - shift)
                            guard first < last else { continue }
                            for y in rows {
                                let sourceRow = y + ky - pad
                                guard sourceRow >= 0 && sourceRow < height else { continue }
                                let source = plane + sourceRow * width + shift
                                let target = out + y * width
                                for x in first..<last { target[x] += weight * source[x] }
                            }
                        }
                    }
                }
                if relu { for p in (rows.lowerBound * width)..<(rows.upperBound * width) { out[p] = max(0, out[p]) } }
            }
        }
    }

    /// Adds the bias and applies ReLU over the given rows of every output plane.
    private func finish(_ output: FeatureMap, rows: Range<Int>) {
        let start = rows.lowerBound * output.width, count = rows.count * output.width
        for o in 0..<outputChannels {
            let values = output.plane(o) + start
            let b = bias[o]
            if relu {
                for p in 0..<count { values[p] = max(0, values[p] + b) }
            } else {
                for p in 0..<count { values[p] += b }
            }
        }
    }
}
