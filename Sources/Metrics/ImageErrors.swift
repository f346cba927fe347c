import Foundation
import MatteCore

/// Plain pixel-difference measures between two images of the same shape (values in 0...1).
public enum ImageErrors {
    /// Sum of absolute differences.
    public static func sad(_ a: ImageTensor, _ b: ImageTensor) -> Double {
        precondition(a.pixels.count == b.pixels.count, "images differ in shape")
        var total = 0.0
        for i in a.pixels.indices { total += Double(abs(a.pixels[i] - b.pixels[i])) }
        return total
    }

    /// Mean squared difference.
    public static func mse(_ a: ImageTensor, _ b: ImageTensor) -> Double {
        precondition(a.pixels.count == b.pixels.count, "images differ in shape")
        guard !a.pixels.isEmpty else { return 0 }
        var total = 0.0
        for i in a.pixels.indices {
            let d = Double(a.pixels[i] - b.pixels[i])
            total += d * d
        }
        return total / Double(a.pixels.count)
    }

    /// Largest absolute difference.
    public static func maxAbsolute(_ a: ImageTensor, _ b: ImageTensor) -> Float {
        precondition(a.pixels.count == b.pixels.count, "images differ in shape")
        var largest: Float = 0
        for i in a.pixels.indices { largest = max(largest, abs(a.pixels[i] - b.pixels[i])) }
        return largest
    }

    /// Peak signal-to-noise ratio in dB for a peak of 1 (infinite for identical images).
    public static func psnr(_ a: ImageTensor, _ b: ImageTensor) -> Double {
        let error = mse(a, b)
        return error == 0 ? .infinity : 10 * log10(1 / error)
    }
}
