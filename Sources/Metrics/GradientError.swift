import Foundation
import MatteCore

/// The gradient error: Σ over the region of (|∇pred| − |∇gt|)², /1000, with gradients from the
/// first-order Gaussian-derivative filters of the benchmark's `gaussgradient` (σ = 1.4).
public enum GradientError {
    public static let sigma = 1.4

    /// The two 1-D factors of `gaussgradient`'s kernel hx(i, j) = G(i − h)·dG(j − h), each scaled to
    /// unit L2 norm, so their outer product is hx / sqrt(Σ hx²) exactly as the MATLAB code builds it.
    public static func kernels(sigma: Double = sigma) -> (gauss: [Double], derivative: [Double]) {
        let epsilon = 1e-2
        let half = Int((sigma * (-2 * log((2 * Double.pi).squareRoot() * sigma * epsilon)).squareRoot()).rounded(.up))
        func g(_ x: Double) -> Double { exp(-x * x / (2 * sigma * sigma)) / (sigma * (2 * Double.pi).squareRoot()) }
        let offsets = (-half...half).map(Double.init)
        let gauss = offsets.map(g)
        let derivative = offsets.map { -$0 * g($0) / (sigma * sigma) }
        func unit(_ v: [Double]) -> [Double] {
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm }
        }
        return (unit(gauss), unit(derivative))
    }

    /// sqrt(gx² + gy²) per pixel, gx and gy from MATLAB `imfilter(alpha, h, 'replicate', 'conv')`.
    public static func magnitude(_ alpha: ImageTensor, sigma: Double = sigma) -> [Double] {
        let (gauss, derivative) = kernels(sigma: sigma)
        let width = alpha.width, height = alpha.height
        let source = alpha.pixels[0..<alpha.planeSize].map(Double.init)
        // The kernel is an outer product, and replicate padding of a 2-D convolution equals
        // replicate padding in each 1-D pass, so two passes give the 2-D result exactly.
        let gx = convolveColumns(convolveRows(source, width, height, derivative), width, height, gauss)
        let gy = convolveColumns(convolveRows(source, width, height, gauss), width, height, derivative)
        return (0..<width * height).map { (gx[$0] * gx[$0] + gy[$0] * gy[$0]).squareRoot() }
    }

    public static func error(pred: ImageTensor, gt: ImageTensor, region: EvaluationRegion) -> Double {
        MattingMetrics.check(pred, gt, region)
        let p = magnitude(pred), g = magnitude(gt)
        return region.sum { let d = p[$0] - g[$0]; return d * d } / 1000
    }

    /// out(y, x) = Σ_b k[h + b] · in(y, clamp(x − b)): true convolution along each row.
    static func convolveRows(_ input: [Double], _ width: Int, _ height: Int, _ kernel: [Double]) -> [Double] {
        let half = kernel.count / 2, taps = kernel.count
        var output = [Double](repeating: 0, count: input.count)
        var padded = [Double](repeating: 0, count: width + 2 * half)
        input.withUnsafeBufferPointer { source in
            kernel.withUnsafeBufferPointer { kernel in
                output.withUnsafeMutableBufferPointer { out in
                    padded.withUnsafeMutableBufferPointer { padded in
                        for y in 0..<height {
                            let row = y * width
                            for i in 0..<padded.count { padded[i] = source[row + min(max(i - half, 0), width - 1)] }
                            for x in 0..<width {
                                var total = 0.0
                                var j = 0
                                while j < taps {
                                    total += kernel[j] * padded[x + 2 * half - j]
                                    j += 1
                                }
                                out[row + x] = total
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// out(y, x) = Σ_a k[h + a] · in(clamp(y − a), x): true convolution along each column.
    static func convolveColumns(_ input: [Double], _ width: Int, _ height: Int, _ kernel: [Double]) -> [Double] {
        let half = kernel.count / 2
        var output = [Double](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { out in
                for y in 0..<height {
                    let row = y * width
                    for j in kernel.indices {
                        let sourceRow = min(max(y - (j - half), 0), height - 1) * width
                        let weight = kernel[j]
                        for x in 0..<width { out[row + x] += weight * source[sourceRow + x] }
                    }
                }
            }
        }
        return output
    }
}
